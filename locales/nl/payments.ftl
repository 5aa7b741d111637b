## Betalingen: ontvangsten, bankafschriften, nog te koppelen betalingen

invoices-state = Status
invoices-open-amount = Nog te betalen: { $amount }
invoice-state-open = Openstaand
invoice-state-overdue = Vervallen
invoice-state-partly-paid = Gedeeltelijk betaald
invoice-state-paid = Betaald
invoice-state-credited = Gecrediteerd

payment-unknown-invoice = Deze factuur bestaat niet.
payment-not-the-customers = De factuur hoort bij een andere klant.
payment-currency-mismatch = De betaling is in een andere valuta dan de factuur.
payment-bad-amount = Dit bedrag kan niet worden betaald: het moet positief zijn en uit hele centen bestaan.
payment-key-conflict = Deze betaling is eerder met andere gegevens geregistreerd.
payment-unknown-receipt = Deze betaling bestaat niet.
payment-already-reversed = Deze betaling is al teruggeboekt.
payment-not-reversible = Deze boeking is zelf een tegenboeking en kan niet worden teruggeboekt.

camt-malformed = het bestand is geen welgevormde XML
camt-truncated = het bestand houdt midden in het document op
camt-namespace = dit is geen camt.053- of camt.054-bericht in een ondersteunde versie (001.02, 001.04, 001.08)
camt-structure = een element ontbreekt of staat op de verkeerde plaats
camt-amount = een bedrag is geen getal
camt-amount-negative = een bedrag is negatief
camt-amount-decimals = een bedrag heeft meer decimalen dan de valuta toestaat
camt-currency = een bedrag is in een onbekende valuta
camt-date = een datum is ongeldig
camt-code = een code komt niet voor in de standaard
camt-too-deep = elementen zijn te diep genest
camt-too-long = een tekst, tag of lijst is langer dan toegestaan
camt-io = het bestand kon niet worden gelezen

bank-title = Bankafschriften
bank-import-heading = Afschrift importeren
bank-import-intro = Upload een camt.053-rekeningafschrift of een camt.054-melding van de bank. Een bestand wordt volledig of helemaal niet geboekt; mutaties die al zijn geïmporteerd, worden herkend en niet dubbel geboekt.
bank-import-file = Afschriftbestand (XML)
bank-import-button = Importeren
bank-import-refused = Het bestand is geweigerd en er is niets geboekt. Regel { $line }: { $reason }.
bank-import-summary = Gelezen mutaties: { $read }, waarvan nieuw: { $new } (volledig betaald: { $paid }, gedeeltelijk betaald: { $partly }, te veel betaald: { $overpaid } – het meerdere wordt als tegoed van de klant geboekt, nog te koppelen: { $unmatched }). Eerder geïmporteerd: { $already }, door terugboeking of stornering teruggedraaide betalingen: { $returned }, niet geboekt: { $ignored }.
bank-upload-missing = Kies een afschriftbestand om te importeren.
bank-upload-too-large = Het bestand is te groot voor de browser; importeer het met “kontor bank import”.
bank-unreadable = Het afschrift kan niet worden gelezen.
bank-queue-heading = Nog te koppelen betalingen
bank-queue-empty = Er staat niets open: alle betalingen zijn gekoppeld.
bank-date = Boekdatum
bank-amount = Bedrag
bank-payer = Betaler
bank-text = Omschrijving
bank-suggestions = Waarschijnlijke klanten
bank-actions = Koppelen
bank-suggestion-name = zelfde naam
bank-suggestion-iban = eerder betaald vanaf dit IBAN
bank-no-suggestion = Geen suggestie
bank-assign-this = Hieraan koppelen
bank-to-invoices = Factuurnummers
bank-to-credit = Als tegoed van klant (klantnummer)
bank-assign = Koppelen
bank-refund = Markeren voor terugbetaling
bank-marked-refund = Gemarkeerd voor terugbetaling aan de betaler.
bank-undo = Ongedaan maken
bank-assigned = De betaling is gekoppeld en geboekt.
bank-refund-marked = De betaling is gemarkeerd voor terugbetaling.
bank-undone = Ongedaan gemaakt: de betaling staat weer bij de nog te koppelen betalingen.
bank-unknown-transaction = Deze banktransactie bestaat niet.
bank-not-in-queue = Deze betaling staat niet meer bij de nog te koppelen betalingen.
bank-nothing-to-undo = Voor deze betaling valt niets ongedaan te maken.
bank-unknown-invoice = Er is geen factuur met dat nummer.
bank-unknown-customer = Er is geen klant met dat nummer.
bank-nothing-to-assign = Geef ten minste één factuurnummer of een klant op.
bank-several-customers = De facturen horen bij verschillende klanten; koppel ze per klant.
bank-no-account = het afschrift noemt geen rekening (Acct/Id/IBAN)
bank-foreign-account = het afschrift hoort bij rekening { $iban }, die niet een van onze rekeningen is
bank-foreign-currency = een boeking in { $currency } op rekening { $iban }, die in { $account_currency } wordt gevoerd

## Betaalwijze (één beslissing voor de factuurpagina, de pdf en de e-mails)
pay-transfer = Maak { $amount } vóór { $date } over naar { $holder }, IBAN { $iban }, BIC { $bic }, onder vermelding van het betalingskenmerk { $reference }.
pay-transfer-no-bic = Maak { $amount } vóór { $date } over naar { $holder }, IBAN { $iban }, onder vermelding van het betalingskenmerk { $reference }.
pay-qr-bill-attached = Gelieve { $amount } vóór { $date } te betalen met het QR-betaalgedeelte van de bijgevoegde factuur, of het bedrag over te maken naar { $holder }, IBAN { $iban }, onder vermelding van de referentie { $reference }.
pay-qr-bill-page = U kunt ook betalen met het QR-betaalgedeelte aan het einde van de factuur (pdf).
# A domestic transfer in Sweden, Norway or Denmark, after the IBAN sentence.
pay-domestic-bankgiro = Vanaf een Zweedse rekening: bankgiro { $account }, OCR-nummer { $reference }.
pay-domestic-kid = Vanaf een Noorse rekening: rekeningnummer { $account }, KID { $reference }.
pay-domestic-fik = Vanaf een Deense rekening: betaal met de betaalkaart (FI-kort) { $line }.
