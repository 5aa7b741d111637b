-- Downtime running into the next month counts in each month it touches: a grant records what
-- each month contributed ({"2026-12": "3.50", "2027-01": "1.20"}), so a later incident in one
-- of those months is credited only for what that month has not given yet. Grants made before
-- this have none: all of theirs counts in the month their incident started.
ALTER TABLE compensation_grants ADD COLUMN by_month JSONB;
