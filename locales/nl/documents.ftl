## PDF documents
pdf-invoice-title = Factuur { $number }
pdf-credit-note-title = Creditnota { $number }
pdf-continued = { $title } (vervolg)
pdf-date = Datum
pdf-due-date = Vervaldatum
pdf-our-vat-id = Ons btw-nummer
pdf-your-vat-id = Uw btw-nummer
pdf-position = Nr.
pdf-amount = Bedrag
pdf-vat-on = Btw { $rate } % over { $net }
pdf-total = Totaal
pdf-page = Pagina { $page } van { $pages }
pdf-corrects = Deze creditnota corrigeert factuur { $number }.
pdf-credit-kept = Het bedrag wordt op uw klantrekening bijgeschreven en met uw volgende facturen verrekend.
pdf-payment = Betaling
pdf-pay-with-qr-bill = Gelieve het verschuldigde bedrag vóór { $date } te betalen met het QR-betaalgedeelte hieronder (referentie { $reference }).
pdf-scan-to-pay = Scan de code met uw bankapp om te betalen.
pdf-nothing-due = Niets te betalen: uw tegoed dekt deze factuur.
pdf-register = Handelsregister
pdf-bank = Bank
pdf-thanks = Hartelijk dank voor uw vertrouwen.

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
email-invoice-subject = Uw factuur { $number } van { $seller }
email-invoice-intro = In de bijlage vindt u uw factuur { $number } van { $date } over { $amount }.
email-invoice-how-to-pay = { $instructions }
email-invoice-covered = Uw tegoed dekt deze factuur: u hoeft niets te betalen.
email-credit-note-subject = Uw creditnota { $number } van { $seller }
email-credit-note-intro = In de bijlage vindt u uw creditnota { $number } van { $date } over { $amount }.
email-invoice-action = Mijn facturen bekijken
