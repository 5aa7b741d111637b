ALTER TABLE customers DROP COLUMN time_zone;
DROP INDEX placements_once;
