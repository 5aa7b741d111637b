DROP TABLE compensation_letters;
