## Kontor: beskeder, der bruges på alle sider. Hold id'er i kebab-case, grupperet efter område.

language-name = Dansk
product-name = Kontor
product-tagline = Din konto til mail og lagerplads

## Navigation og layout
nav-home = Forside
nav-status = Driftsstatus
nav-sign-in = Log ind
nav-language = Sprog
nav-skip = Gå til indholdet
footer-company = { $company } · Hosting af mail og lagerplads i Europa

## Forside
home-title = Mail og lagerplads, du kan regne med
home-lead = En mailboks på 10 GB for { $price } om måneden. Den første måned er gratis.
home-feature-trial-title = Første måned gratis
home-feature-trial-text = Prøv det hele i en måned. Opsig når som helst, inden måneden udløber, så betaler du ingenting.
home-feature-storage-title = Lagerplads, der vokser med dig
home-feature-storage-text = Tilføj 10, 50, 100 eller 500 GB, når du har brug for det, afregnet pr. dag.
home-feature-invoices-title = Overskuelige fakturaer
home-feature-invoices-text = Månedlige PDF-fakturaer på dit sprog, som kan betales via bankoverførsel, automatisk betaling eller PayPal.
home-cta = Start din gratis måned

## Driftsstatus og fejl
health-ok = Alle systemer kører normalt
health-database-down = Databasen kan ikke nås
error-page-title = Noget gik galt
error-not-found = Siden findes ikke.
error-internal = Der opstod en uventet fejl. Intet er blevet ændret. Prøv igen om lidt.
error-back-home = Tilbage til forsiden

## Indtastning af beløb og bogføringsfejl
money-currency-mismatch = Beløb i forskellige valutaer kan ikke lægges sammen.
money-overflow = Beløbet er for stort.
money-not-rounded = Beløbet har flere decimaler, end valutaen tillader.
money-invalid-weights = Beløbet kan ikke fordeles i disse forhold.
money-no-parts = Beløbet skal fordeles på mindst én del.
money-parse-empty = Indtast et beløb.
money-parse-invalid = Indtast beløbet med cifre og højst ét decimaltegn, for eksempel 12,50.
money-parse-too-many-decimals = Indtast højst { $allowed } decimaler.
money-parse-too-large = Beløbet er for stort.
ledger-invalid-entry = Bogføringen er ufuldstændig.
ledger-too-few-postings = En bogføring skal bestå af mindst to posteringer.
ledger-zero-posting = En bogføring må ikke indeholde en postering på nul.
ledger-not-rounded = Et beløb i bogføringen har flere decimaler, end valutaen tillader.
ledger-unbalanced = Bogføringen balancerer ikke: debet og kredit er ikke ens.
ledger-idempotency-conflict = Denne bogføring er allerede registreret med et andet indhold.
ledger-currency-mismatch = Bogføringens valuta afviger fra kontoens valuta.
ledger-unknown-account = Kontoen findes ikke.
ledger-account-conflict = Der findes allerede en konto med denne kode, men med andre indstillinger.
ledger-corrupt = Regnskabet indeholder data, der ikke kan læses. Økonomiafdelingen er underrettet.
ledger-refused = Databasen afviste bogføringen, fordi den ville skabe fejl i regnskabet.

## Beløb: hvor valutasymbolet står, og hver valutas symbol på dette sprog
money-format = { $amount }{"\u00A0"}{ $symbol }
currency-EUR = €
currency-CHF = CHF
currency-GBP = £
currency-SEK = SEK
currency-NOK = NOK
currency-DKK = kr.
text-control-character = Fjern venligst kontroltegn (f.eks. escape- eller vognreturtegn) fra teksten.
text-too-long = Teksten er for lang.

# Forms that cannot be read (web::form) and forms sent again (web::submission).
form-unreadable = Formularen kunne ikke læses. Gå tilbage, genindlæs siden, og prøv igen.
form-control-characters = Formularen indeholder usynlige kontroltegn. Skriv teksten igen uden dem.
form-too-large = Formularen er for stor. Forkort teksten, og prøv igen.
form-expired = Formularen er udløbet. Gå tilbage, genindlæs siden, og prøv igen.
submission-running-title = Behandles stadig
submission-running-text = Formularen er allerede sendt og behandles stadig. Genindlæs siden om et øjeblik for at se resultatet; intet bliver gjort to gange.
