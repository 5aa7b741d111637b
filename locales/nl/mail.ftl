## E-mailbezorging in de backoffice.

mail-undeliverable-title = Onbestelbare e-mails
mail-undeliverable-intro = Deze e-mails zijn door de ontvangende mailserver geweigerd of konden na herhaalde pogingen niet worden bezorgd. Ze worden pas opnieuw verzonden als u ze opnieuw in de wachtrij zet, bijvoorbeeld nadat het adres van de klant is gecorrigeerd.
mail-undeliverable-none = Geen onbestelbare e-mails.
mail-failed-at = Mislukt op
mail-recipient = Ontvanger
mail-subject = Onderwerp
mail-attempts = Pogingen
mail-error = Laatste fout
mail-retry = Opnieuw verzenden
mail-retry-queued = De e-mail staat weer in de wachtrij en wordt binnenkort verzonden.
mail-retry-unknown = Deze e-mail hoort niet bij de onbestelbare e-mails.
