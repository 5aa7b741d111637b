## Kontor: berichten die op elke pagina worden gebruikt. Houd id's in kebab-case, gegroepeerd per onderdeel.

language-name = Nederlands
product-name = Kontor
product-tagline = Uw account voor e-mail en opslag

## Navigatie en opmaak
nav-home = Home
nav-status = Status van de dienst
nav-sign-in = Inloggen
nav-language = Taal
nav-skip = Naar de inhoud
footer-company = { $company } · E-mail- en opslaghosting in Europa

## Startpagina
home-title = E-mail en opslag waar u op kunt rekenen
home-lead = Een mailbox van 10 GB voor { $price } per maand. De eerste maand is gratis.
home-feature-trial-title = Eerste maand gratis
home-feature-trial-text = Probeer alles een maand lang uit. Zeg op elk moment vóór het einde op en u betaalt niets.
home-feature-storage-title = Opslag die met u meegroeit
home-feature-storage-text = Voeg 10, 50, 100 of 500 GB toe wanneer u het nodig hebt, per dag gefactureerd.
home-feature-invoices-title = Duidelijke facturen
home-feature-invoices-text = Maandelijkse pdf-facturen in uw taal, te betalen via bankoverschrijving, automatische incasso of PayPal.
home-cta = Start uw gratis maand

## Status en fouten
health-ok = Alle systemen werken normaal
health-database-down = De database is niet bereikbaar
error-page-title = Er is iets misgegaan
error-not-found = Deze pagina bestaat niet.
error-internal = Er is een onverwachte fout opgetreden. Er is niets gewijzigd; probeer het over een ogenblik opnieuw.
error-back-home = Terug naar de startpagina

## Invoer van bedragen en fouten in de boekhouding
money-currency-mismatch = Bedragen in verschillende valuta kunnen niet worden samengevoegd.
money-overflow = Het bedrag is te hoog.
money-not-rounded = Het bedrag heeft meer decimalen dan de valuta toestaat.
money-invalid-weights = Het bedrag kan niet in deze verhouding worden verdeeld.
money-no-parts = Het bedrag moet in ten minste één deel worden verdeeld.
money-parse-empty = Voer een bedrag in.
money-parse-invalid = Voer een bedrag in met alleen cijfers en hoogstens één decimaalteken, bijvoorbeeld 12,50.
money-parse-too-many-decimals = Voer hoogstens { $allowed } decimalen in.
money-parse-too-large = Het bedrag is te hoog.
ledger-invalid-entry = De boeking is onvolledig.
ledger-too-few-postings = Een boeking moet uit ten minste twee boekingsregels bestaan.
ledger-zero-posting = Een boeking mag geen boekingsregel met een bedrag van nul bevatten.
ledger-not-rounded = Een bedrag in de boeking heeft meer decimalen dan de valuta toestaat.
ledger-unbalanced = De boeking is niet in evenwicht: debet en credit zijn niet gelijk.
ledger-idempotency-conflict = Deze boeking is al met een andere inhoud vastgelegd.
ledger-currency-mismatch = De valuta van de boeking wijkt af van de valuta van de rekening.
ledger-unknown-account = De rekening bestaat niet.
ledger-account-conflict = Er bestaat al een rekening met deze code, maar met andere instellingen.
ledger-corrupt = De administratie bevat gegevens die niet kunnen worden gelezen. De financiële afdeling is op de hoogte gebracht.
ledger-refused = De database heeft de boeking geweigerd, omdat die de administratie inconsistent zou maken.

## Bedragen: waar het valutasymbool staat, en het symbool van elke valuta in deze taal
money-format = { $symbol }{"\u00A0"}{ $amount }
currency-EUR = €
currency-CHF = CHF
currency-GBP = £
currency-SEK = SEK
currency-NOK = NOK
currency-DKK = DKK
text-control-character = Verwijder stuurtekens (zoals escape- of regelterugloop-tekens) uit de tekst.
text-too-long = De tekst is te lang.

# Forms that cannot be read (web::form) and forms sent again (web::submission).
form-unreadable = Het formulier kon niet worden gelezen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
form-control-characters = Het formulier bevat onzichtbare stuurtekens. Typ de tekst opnieuw zonder deze tekens.
form-too-large = Het formulier is te groot. Maak de tekst korter en probeer het opnieuw.
form-expired = Uw formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
submission-running-title = Nog bezig
submission-running-text = Dit formulier is al verzonden en wordt nog verwerkt. Laad deze pagina zo opnieuw om het resultaat te zien; niets wordt twee keer gedaan.
