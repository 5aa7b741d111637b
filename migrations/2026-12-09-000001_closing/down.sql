ALTER TABLE users DROP COLUMN closed_at;
