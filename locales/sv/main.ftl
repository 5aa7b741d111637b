## Kontor: meddelanden som används på alla sidor. Håll id:n i kebab-case, grupperade efter område.

language-name = Svenska
product-name = Kontor
product-tagline = Ditt konto för e-post och lagring

## Navigering och layout
nav-home = Hem
nav-status = Driftstatus
nav-sign-in = Logga in
nav-language = Språk
nav-skip = Hoppa till innehållet
footer-company = { $company } · Hosting av e-post och lagring i Europa

## Startsida
home-title = E-post och lagring du kan lita på
home-lead = En e-postlåda på 10 GB för { $price } i månaden. Första månaden är gratis.
home-feature-trial-title = Första månaden gratis
home-feature-trial-text = Prova allt i en månad. Säg upp när som helst innan den är slut, så betalar du ingenting.
home-feature-storage-title = Lagring som växer med dig
home-feature-storage-text = Lägg till 10, 50, 100 eller 500 GB när du behöver, debiterat per dag.
home-feature-invoices-title = Tydliga fakturor
home-feature-invoices-text = Månadsfakturor i PDF på ditt språk, som du kan betala med banköverföring, autogiro eller PayPal.
home-cta = Starta din gratismånad

## Driftstatus och fel
health-ok = Alla system fungerar normalt
health-database-down = Det går inte att nå databasen
error-page-title = Något gick fel
error-not-found = Sidan finns inte.
error-internal = Ett oväntat fel uppstod. Ingenting har ändrats. Försök igen om en stund.
error-back-home = Tillbaka till startsidan

## Beloppsinmatning och bokföringsfel
money-currency-mismatch = Belopp i olika valutor kan inte slås samman.
money-overflow = Beloppet är för stort.
money-not-rounded = Beloppet har fler decimaler än valutan tillåter.
money-invalid-weights = Beloppet kan inte fördelas i de här proportionerna.
money-no-parts = Beloppet måste fördelas på minst en del.
money-parse-empty = Ange ett belopp.
money-parse-invalid = Ange beloppet med siffror och högst ett decimaltecken, till exempel 12,50.
money-parse-too-many-decimals = Ange högst { $allowed } decimaler.
money-parse-too-large = Beloppet är för stort.
ledger-invalid-entry = Verifikationen är ofullständig.
ledger-too-few-postings = En verifikation måste ha minst två konteringsrader.
ledger-zero-posting = En verifikation får inte innehålla en konteringsrad med beloppet noll.
ledger-not-rounded = Ett belopp i verifikationen har fler decimaler än valutan tillåter.
ledger-unbalanced = Verifikationen balanserar inte: debet och kredit skiljer sig åt.
ledger-idempotency-conflict = Verifikationen har redan bokförts med ett annat innehåll.
ledger-currency-mismatch = Verifikationens valuta skiljer sig från kontots valuta.
ledger-unknown-account = Kontot finns inte.
ledger-account-conflict = Det finns redan ett konto med den här koden, men med andra inställningar.
ledger-corrupt = Bokföringen innehåller data som inte går att läsa. Ekonomiavdelningen har underrättats.
ledger-refused = Databasen avvisade verifikationen eftersom den skulle göra bokföringen felaktig.

## Belopp: var valutasymbolen står, och varje valutas symbol på det här språket
money-format = { $amount }{"\u00A0"}{ $symbol }
currency-EUR = €
currency-CHF = CHF
currency-GBP = £
currency-SEK = kr
currency-NOK = NOK
currency-DKK = DKK
text-control-character = Ta bort styrtecken (till exempel escape- eller vagnreturtecken) ur texten.
text-too-long = Texten är för lång.

# Forms that cannot be read (web::form) and forms sent again (web::submission).
form-unreadable = Formuläret kunde inte läsas. Gå tillbaka, ladda om sidan och försök igen.
form-control-characters = Formuläret innehåller osynliga styrtecken. Skriv texten igen utan dem.
form-too-large = Formuläret är för stort. Korta texten och försök igen.
form-expired = Formuläret har gått ut. Gå tillbaka, ladda om sidan och försök igen.
submission-running-title = Bearbetas fortfarande
submission-running-text = Formuläret har redan skickats och bearbetas fortfarande. Ladda om sidan om en stund för att se resultatet; inget görs två gånger.
