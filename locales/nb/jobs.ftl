# Long jobs and their progress page in the back office.
job-compensation-issue = Kompensasjon for hendelse #{ $incident } utstedes
job-queued = Venter på at bakgrunnstjenesten skal starte.
job-running = Pågår: { $done } av { $total } ferdige.
job-failed = Stoppet: { $reason }
job-reloads = Siden lastes inn på nytt til jobben er ferdig. Å forlate den stopper ikke jobben.
job-back = Tilbake til hendelsen
job-statement-import = Kontoutskrift { $file } importeres
job-statement-import-running = Pågår: { $entries } posteringer lest så langt.
job-back-bank = Tilbake til kontoutskriftene
