## PDF documents
pdf-invoice-title = Faktura { $number }
pdf-credit-note-title = Kreditnota { $number }
pdf-continued = { $title } (fortsat)
pdf-date = Dato
pdf-due-date = Forfaldsdato
pdf-our-vat-id = Vores momsnummer
pdf-your-vat-id = Jeres momsnummer
pdf-position = Nr.
pdf-amount = Beløb
pdf-vat-on = Moms { $rate } % af { $net }
pdf-total = I alt
pdf-page = Side { $page } af { $pages }
pdf-corrects = Denne kreditnota korrigerer faktura { $number }.
pdf-credit-kept = Beløbet krediteres din kundekonto og modregnes i dine næste fakturaer.
pdf-payment = Betaling
pdf-pay-with-qr-bill = Betal venligst det skyldige beløb senest { $date } med QR-betalingsdelen nedenfor (reference { $reference }).
pdf-scan-to-pay = Scan koden med din bankapp for at betale.
pdf-nothing-due = Intet at betale: dit tilgodehavende dækker denne faktura.
pdf-register = CVR-register
pdf-bank = Bank
pdf-thanks = Tak for din tillid.

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
email-invoice-intro = Vedhæftet finder du din faktura { $number } af { $date } på { $amount }.
email-invoice-how-to-pay = { $instructions }
email-invoice-covered = Dit tilgodehavende dækker denne faktura: du skal ikke betale noget.
email-credit-note-subject = Din kreditnota { $number } fra { $seller }
email-credit-note-intro = Vedhæftet finder du din kreditnota { $number } af { $date } på { $amount }.
email-invoice-action = Vis mine fakturaer
