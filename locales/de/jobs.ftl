# Long jobs and their progress page in the back office.
job-compensation-issue = Entschädigung für Vorfall #{ $incident } wird ausgegeben
job-queued = Wartet darauf, dass der Hintergrunddienst beginnt.
job-running = Läuft: { $done } von { $total } erledigt.
job-failed = Abgebrochen: { $reason }
job-reloads = Diese Seite lädt sich neu, bis der Auftrag erledigt ist. Wer sie verlässt, hält den Auftrag nicht an.
job-back = Zurück zum Vorfall
job-statement-import = Kontoauszug { $file } wird importiert
job-statement-import-running = Läuft: bisher { $entries } Buchungen gelesen.
job-back-bank = Zurück zu den Kontoauszügen
