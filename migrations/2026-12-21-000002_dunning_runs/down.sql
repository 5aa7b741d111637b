DROP TABLE dunning_runs;
