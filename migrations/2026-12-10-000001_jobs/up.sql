-- Work longer than a second, run by the worker (or started by the request that asked for it)
-- and claimed with FOR UPDATE SKIP LOCKED. A claim holds a lease that each step renews; a
-- worker that dies lets its lease run out and the next claim resumes from the last step
-- committed, whose progress is written in the step's own transaction.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('compensation_issue')),
    params JSONB NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    done BIGINT NOT NULL DEFAULT 0 CHECK (done >= 0),
    total BIGINT CHECK (total >= 0),
    result JSONB NOT NULL DEFAULT '{}',
    error TEXT,
    lease_until TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ
);

CREATE INDEX jobs_open ON jobs (id) WHERE state IN ('queued', 'running');
