ALTER TABLE compensation_grants DROP COLUMN by_month;
