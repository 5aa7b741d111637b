## PDF documents
pdf-invoice-title = Faktura { $number }
pdf-credit-note-title = Kreditnota { $number }
pdf-continued = { $title } (forts.)
pdf-date = Datum
pdf-due-date = Förfallodag
pdf-our-vat-id = Vårt momsregistreringsnummer
pdf-your-vat-id = Ert momsregistreringsnummer
pdf-position = Rad
pdf-amount = Belopp
pdf-vat-on = Moms { $rate } % på { $net }
pdf-total = Totalt
pdf-page = Sida { $page } av { $pages }
pdf-corrects = Denna kreditnota korrigerar faktura { $number }.
pdf-credit-kept = Beloppet krediteras ditt kundkonto och dras av från dina nästa fakturor.
pdf-payment = Betalning
pdf-pay-with-qr-bill = Betala det förfallna beloppet senast { $date } med QR-betalningsdelen nedan (referens { $reference }).
pdf-scan-to-pay = Skanna koden med din bankapp för att betala.
pdf-nothing-due = Inget att betala: ditt tillgodohavande täcker denna faktura.
pdf-register = Bolagsregister
pdf-bank = Bank
pdf-thanks = Tack för att du valt oss.

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
email-invoice-subject = Din faktura { $number } från { $seller }
email-invoice-intro = Bifogat finns din faktura { $number } från { $date } på { $amount }.
email-invoice-how-to-pay = { $instructions }
email-invoice-covered = Ditt tillgodohavande täcker denna faktura: du behöver inte betala något.
email-credit-note-subject = Din kreditnota { $number } från { $seller }
email-credit-note-intro = Bifogat finns din kreditnota { $number } från { $date } på { $amount }.
email-invoice-action = Visa mina fakturor
