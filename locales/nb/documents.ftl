## PDF documents
pdf-invoice-title = Faktura { $number }
pdf-credit-note-title = Kreditnota { $number }
pdf-continued = { $title } (fortsatt)
pdf-date = Dato
pdf-due-date = Forfallsdato
pdf-our-vat-id = Vårt MVA-nummer
pdf-your-vat-id = Ditt MVA-nummer
pdf-position = Nr.
pdf-amount = Beløp
pdf-vat-on = MVA { $rate } % av { $net }
pdf-total = Totalt
pdf-page = Side { $page } av { $pages }
pdf-corrects = Denne kreditnotaen korrigerer faktura { $number }.
pdf-credit-kept = Beløpet godskrives kundekontoen din og trekkes fra dine neste fakturaer.
pdf-payment = Betaling
pdf-pay-with-qr-bill = Vennligst betal det skyldige beløpet innen { $date } med QR-betalingsdelen nedenfor (referanse { $reference }).
pdf-scan-to-pay = Skann koden med bankappen din for å betale.
pdf-nothing-due = Ingenting å betale: tilgodehavendet ditt dekker denne fakturaen.
pdf-register = Foretaksregisteret
pdf-bank = Bank
pdf-thanks = Takk for at du handler hos oss.

## Swiss QR-bill payment part (the standard allows its texts in German, French, Italian and English only)
qrbill-receipt = Receipt
qrbill-payment-part = Payment part
qrbill-account = Account / Payable to
qrbill-reference = Reference
qrbill-additional-information = Additional information
qrbill-payable-by = Payable by
qrbill-currency = Currency
qrbill-amount = Amount
qrbill-acceptance-point = Acceptance point
qrbill-separate = Separate before paying in

## Invoice emails
email-invoice-subject = Din faktura { $number } fra { $seller }
email-invoice-intro = Vedlagt finner du fakturaen din { $number } av { $date } på { $amount }.
email-invoice-how-to-pay = { $instructions }
email-invoice-covered = Tilgodehavendet ditt dekker denne fakturaen: du trenger ikke betale noe.
email-credit-note-subject = Din kreditnota { $number } fra { $seller }
email-credit-note-intro = Vedlagt finner du kreditnotaen din { $number } av { $date } på { $amount }.
email-invoice-action = Vis fakturaene mine
