## PDF documents
pdf-invoice-title = Invoice { $number }
pdf-credit-note-title = Credit note { $number }
pdf-continued = { $title } (continued)
pdf-date = Date
pdf-due-date = Due date
pdf-our-vat-id = Our VAT ID
pdf-your-vat-id = Your VAT ID
pdf-position = Pos.
pdf-amount = Amount
pdf-vat-on = VAT { $rate } % on { $net }
pdf-total = Total
pdf-page = Page { $page } of { $pages }
pdf-corrects = This credit note corrects invoice { $number }.
pdf-credit-kept = The amount is credited to your customer account and set against your next invoices.
pdf-payment = Payment
pdf-pay-with-qr-bill = Please pay the amount due by { $date } with the QR-bill payment part below (reference { $reference }).
pdf-scan-to-pay = Scan the code with your banking app to pay.
pdf-nothing-due = Nothing to pay: your credit covers this invoice.
pdf-register = Register
pdf-bank = Bank
pdf-thanks = Thank you for your custom.

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
email-invoice-subject = Your invoice { $number } from { $seller }
email-invoice-intro = Please find attached your invoice { $number } of { $date } for { $amount }.
email-invoice-how-to-pay = { $instructions }
email-invoice-covered = Your credit covers this invoice: there is nothing to pay.
email-credit-note-subject = Your credit note { $number } from { $seller }
email-credit-note-intro = Please find attached your credit note { $number } of { $date } for { $amount }.
email-invoice-action = Show my invoices
