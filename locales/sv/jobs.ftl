# Long jobs and their progress page in the back office.
job-compensation-issue = Kompensation för incident #{ $incident } delas ut
job-queued = Väntar på att bakgrundstjänsten ska börja.
job-running = Pågår: { $done } av { $total } klara.
job-failed = Avbrutet: { $reason }
job-reloads = Sidan laddas om tills jobbet är klart. Att lämna den stoppar inte jobbet.
job-back = Tillbaka till incidenten
job-statement-import = Kontoutdrag { $file } importeras
job-statement-import-running = Pågår: { $entries } poster lästa hittills.
job-back-bank = Tillbaka till kontoutdragen
