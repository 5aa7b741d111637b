# Long jobs and their progress page in the back office.
job-compensation-issue = Issuing compensation for incident #{ $incident }
job-queued = Waiting for the worker to start.
job-running = Running: { $done } of { $total } done.
job-failed = Stopped: { $reason }
job-reloads = This page reloads itself until the job is done. Leaving it does not stop the job.
job-back = Back to the incident
job-statement-import = Importing the bank statement { $file }
job-statement-import-running = Running: { $entries } entries read so far.
job-back-bank = Back to the bank statements
