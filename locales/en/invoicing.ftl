## Invoices
invoices-title = Invoices
invoices-invoice = Invoice
invoices-credit-note = Credit note
invoices-none = There are no invoices yet.
invoices-download-pdf = Download PDF
invoices-number = Number
invoices-date = Date
invoices-due = Due
invoices-customer = Customer
invoices-customer-number = Customer number
invoices-total = Total
invoices-period = Period
invoices-filter = Filter
invoices-back = Back to the invoices
invoices-vat-id = VAT ID
invoices-service-period = Service period
invoices-reason = Reason
invoices-description = Description
invoices-quantity = Quantity
invoices-unit-price = Unit price
invoices-vat-rate = VAT
invoices-net = Net
invoices-credit-applied = Your credit
invoices-amount-due = Amount due
invoices-pay-by-transfer = Please transfer the amount due by { $date } to IBAN { $iban } (BIC { $bic }), quoting the reference { $reference }.
invoice-line = { $plan }, { $from } – { $until }
invoicing-bad-period = This is not a billing period. Please use the form YYYY-MM, for example 2026-11.

## Credit notes
credit-note-title = Issue a credit note
credit-note-amount = Amount (gross)
credit-note-amount-hint = Leave empty to credit everything not yet credited.
credit-note-issue = Issue credit note
credit-note-issued = Credit note { $number } has been issued.
credit-note-no-reason = Please give a reason for the credit note.
credit-note-too-large = The amount is larger than what is left to credit on this invoice.
credit-note-not-invoice = Only invoices can be credited.
