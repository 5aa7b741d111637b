# Long jobs and their progress page in the back office.
job-compensation-issue = Kompensation for hændelse #{ $incident } udstedes
job-queued = Venter på, at baggrundstjenesten starter.
job-running = I gang: { $done } af { $total } færdige.
job-failed = Stoppet: { $reason }
job-reloads = Siden genindlæser sig selv, indtil jobbet er færdigt. At forlade den stopper ikke jobbet.
job-back = Tilbage til hændelsen
job-statement-import = Kontoudtog { $file } importeres
job-statement-import-running = I gang: { $entries } posteringer læst indtil videre.
job-back-bank = Tilbage til kontoudtogene
