# Long jobs and their progress page in the back office.
job-compensation-issue = Compensatie voor incident #{ $incident } wordt uitgegeven
job-queued = Wacht tot de achtergronddienst begint.
job-running = Bezig: { $done } van { $total } klaar.
job-failed = Gestopt: { $reason }
job-reloads = Deze pagina laadt zichzelf opnieuw tot de taak klaar is. Weggaan stopt de taak niet.
job-back = Terug naar het incident
job-statement-import = Bankafschrift { $file } wordt geïmporteerd
job-statement-import-running = Bezig: tot nu toe { $entries } posten gelezen.
job-back-bank = Terug naar de bankafschriften
