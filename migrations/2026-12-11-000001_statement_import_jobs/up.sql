-- A statement uploaded in the back office is imported by a job: the upload waits in the data
-- folder until the job is done.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('compensation_issue', 'statement_import'));
