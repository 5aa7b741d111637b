## Kontor: meldinger som brukes på alle sider. Hold id-er i kebab-case, gruppert etter område.

language-name = Norsk bokmål
product-name = Kontor
product-tagline = Din konto for e-post og lagring

## Navigasjon og oppsett
nav-home = Forside
nav-status = Driftsstatus
nav-sign-in = Logg inn
nav-language = Språk
nav-skip = Gå til innholdet
footer-company = { $company } · Drift av e-post og lagring i Europa

## Forside
home-title = E-post og lagring du kan stole på
home-lead = En e-postkasse på 10 GB for { $price } i måneden. Den første måneden er gratis.
home-feature-trial-title = Første måned gratis
home-feature-trial-text = Prøv alt i en måned. Si opp når som helst før måneden er omme, så betaler du ingenting.
home-feature-storage-title = Lagring som vokser med deg
home-feature-storage-text = Legg til 10, 50, 100 eller 500 GB når du trenger det, fakturert per dag.
home-feature-invoices-title = Oversiktlige fakturaer
home-feature-invoices-text = Månedlige PDF-fakturaer på ditt språk, som kan betales med bankoverføring, automatisk trekk eller PayPal.
home-cta = Start gratismåneden din

## Driftsstatus og feil
health-ok = Alle systemer fungerer normalt
health-database-down = Databasen kan ikke nås
error-page-title = Noe gikk galt
error-not-found = Denne siden finnes ikke.
error-internal = Det oppstod en uventet feil. Ingenting ble endret. Prøv igjen om litt.
error-back-home = Tilbake til forsiden

## Beløpsinntasting og bokføringsfeil
money-currency-mismatch = Beløp i ulike valutaer kan ikke slås sammen.
money-overflow = Beløpet er for stort.
money-not-rounded = Beløpet har flere desimaler enn valutaen tillater.
money-invalid-weights = Beløpet kan ikke fordeles etter disse forholdstallene.
money-no-parts = Beløpet må fordeles på minst én del.
money-parse-empty = Skriv inn et beløp.
money-parse-invalid = Skriv inn beløpet med sifre og høyst ett desimaltegn, for eksempel 12,50.
money-parse-too-many-decimals = Skriv inn høyst { $allowed } desimaler.
money-parse-too-large = Beløpet er for stort.
ledger-invalid-entry = Bokføringen er ufullstendig.
ledger-too-few-postings = En bokføring må ha minst to posteringer.
ledger-zero-posting = En bokføring kan ikke inneholde en postering på null.
ledger-not-rounded = Et beløp i bokføringen har flere desimaler enn valutaen tillater.
ledger-unbalanced = Bokføringen går ikke i balanse: debet og kredit er ulike.
ledger-idempotency-conflict = Denne bokføringen er allerede registrert med et annet innhold.
ledger-currency-mismatch = Valutaen i bokføringen er en annen enn kontoens valuta.
ledger-unknown-account = Kontoen finnes ikke.
ledger-account-conflict = Det finnes allerede en konto med denne koden, men med andre innstillinger.
ledger-corrupt = Regnskapet inneholder data som ikke kan leses. Økonomiavdelingen er varslet.
ledger-refused = Databasen avviste bokføringen fordi den ville ført til feil i regnskapet.

## Beløp: hvor valutasymbolet står, og hver valutas symbol på dette språket
money-format = { $amount }{"\u00A0"}{ $symbol }
currency-EUR = €
currency-CHF = CHF
currency-GBP = £
currency-SEK = SEK
currency-NOK = kr
currency-DKK = DKK
text-control-character = Fjern kontrolltegn (for eksempel escape- eller vognreturtegn) fra teksten.
text-too-long = Teksten er for lang.

# Forms that cannot be read (web::form) and forms sent again (web::submission).
form-unreadable = Skjemaet kunne ikke leses. Gå tilbake, last inn siden på nytt og prøv igjen.
form-control-characters = Skjemaet inneholder usynlige kontrolltegn. Skriv inn teksten på nytt uten dem.
form-too-large = Skjemaet er for stort. Gjør teksten kortere og prøv igjen.
form-expired = Skjemaet er utløpt. Gå tilbake, last inn siden på nytt og prøv igjen.
submission-running-title = Behandles fortsatt
submission-running-text = Skjemaet er allerede sendt og behandles fortsatt. Last inn siden på nytt om et øyeblikk for å se resultatet; ingenting blir gjort to ganger.
