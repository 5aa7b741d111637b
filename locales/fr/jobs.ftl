# Long jobs and their progress page in the back office.
job-compensation-issue = Émission de l’indemnisation pour l’incident n° { $incident }
job-queued = En attente du démarrage par le service d’arrière-plan.
job-running = En cours : { $done } sur { $total } traités.
job-failed = Arrêté : { $reason }
job-reloads = Cette page se recharge jusqu’à la fin de la tâche. La quitter n’arrête pas la tâche.
job-back = Retour à l’incident
job-statement-import = Import du relevé bancaire { $file }
job-statement-import-running = En cours : { $entries } écritures lues jusqu’ici.
job-back-bank = Retour aux relevés bancaires
