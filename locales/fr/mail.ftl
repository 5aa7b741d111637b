## Distribution des e-mails dans le back-office.

mail-undeliverable-title = E-mails non distribuables
mail-undeliverable-intro = Ces e-mails ont été refusés par le serveur de messagerie destinataire ou n'ont pas pu être distribués après plusieurs tentatives. Ils ne sont renvoyés que si vous les remettez en file d'attente, par exemple après avoir corrigé l'adresse du client.
mail-undeliverable-none = Aucun e-mail non distribuable.
mail-failed-at = Échec le
mail-recipient = Destinataire
mail-subject = Objet
mail-attempts = Tentatives
mail-error = Dernière erreur
mail-retry = Renvoyer
mail-retry-queued = L'e-mail est de nouveau en file d'attente et sera envoyé sous peu.
mail-retry-unknown = Cet e-mail ne fait pas partie des e-mails non distribuables.
