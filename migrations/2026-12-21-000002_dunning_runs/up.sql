-- The days the dunning run finished, for the month close's checklist: one row per day, the
-- last finish and what it sent (a second run the same day updates the row).
CREATE TABLE dunning_runs (
    day          DATE        PRIMARY KEY,
    finished_at  TIMESTAMPTZ NOT NULL,
    notices      INTEGER     NOT NULL CHECK (notices >= 0),
    reactivated  INTEGER     NOT NULL CHECK (reactivated >= 0)
);
