## E-mail-levering i backoffice.

mail-undeliverable-title = E-mails, der ikke kunne leveres
mail-undeliverable-intro = Disse e-mails blev afvist af den modtagende mailserver eller kunne ikke leveres efter gentagne forsøg. De sendes først igen, når du sætter dem i kø igen, for eksempel efter at kundens adresse er rettet.
mail-undeliverable-none = Ingen e-mails, der ikke kunne leveres.
mail-failed-at = Mislykkedes
mail-recipient = Modtager
mail-subject = Emne
mail-attempts = Forsøg
mail-error = Seneste fejl
mail-retry = Send igen
mail-retry-queued = E-mailen er sat i kø igen og sendes om kort tid.
mail-retry-unknown = Denne e-mail er ikke blandt dem, der ikke kunne leveres.
