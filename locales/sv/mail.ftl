## E-postleverans i backoffice.

mail-undeliverable-title = E-post som inte kunde levereras
mail-undeliverable-intro = Dessa e-postmeddelanden avvisades av den mottagande e-postservern eller kunde inte levereras efter upprepade försök. De skickas inte igen förrän du köar dem på nytt, till exempel efter att kundens adress har rättats.
mail-undeliverable-none = Ingen e-post som inte kunde levereras.
mail-failed-at = Misslyckades
mail-recipient = Mottagare
mail-subject = Ämne
mail-attempts = Försök
mail-error = Senaste fel
mail-retry = Skicka igen
mail-retry-queued = E-postmeddelandet är köat igen och skickas inom kort.
mail-retry-unknown = Det här e-postmeddelandet finns inte bland dem som inte kunde levereras.
