# Long jobs and their progress page in the back office.
job-compensation-issue = Issuing compensation for incident #{ $incident }
job-queued = Waiting for the worker to start.
job-running = Running: { $done } of { $total } done.
job-failed = Stopped: { $reason }
job-reloads = This page reloads itself until the job is done. Leaving it does not stop the job.
job-back = Back to the incident
