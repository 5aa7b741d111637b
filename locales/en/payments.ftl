## Payments: receipts, bank statements, the reconciliation queue

invoices-state = Status
invoices-open-amount = Still to pay: { $amount }
invoice-state-open = Open
invoice-state-overdue = Overdue
invoice-state-partly-paid = Partly paid
invoice-state-paid = Paid
invoice-state-credited = Credited

payment-unknown-invoice = There is no such invoice.
payment-not-the-customers = The invoice belongs to another customer.
payment-currency-mismatch = The payment is in another currency than the invoice.
payment-bad-amount = The amount cannot be paid: it must be positive and in whole cents.
payment-key-conflict = This payment was recorded before with different details.
payment-unknown-receipt = There is no such payment.
payment-already-reversed = This payment has already been reversed.
payment-not-reversible = This entry is itself a reversal and cannot be reversed.

camt-malformed = the file is not well-formed XML
camt-truncated = the file ends in the middle of the document
camt-namespace = this is not a camt.053 or camt.054 statement in a supported version (001.02, 001.04, 001.08)
camt-structure = an element is missing or out of place
camt-amount = an amount is not a number
camt-amount-negative = an amount is negative
camt-amount-decimals = an amount has more decimals than its currency allows
camt-currency = an amount is in an unknown currency
camt-date = a date is not valid
camt-code = a code is not one the standard knows
camt-too-deep = elements are nested too deeply
camt-too-long = a text, tag or list is longer than allowed
camt-io = the file could not be read

bank-title = Bank statements
bank-import-heading = Import a statement
bank-import-intro = Upload a camt.053 account statement or a camt.054 notification from the bank. A file is booked completely or not at all; movements already imported are recognised and not booked twice.
bank-import-file = Statement file (XML)
bank-import-button = Import
bank-import-refused = The file was refused and nothing was booked: line { $line }: { $reason }.
bank-import-summary = { $read } entries read, { $new } new: { $paid } paid, { $partly } partly paid, { $overpaid } overpaid (the rest is customer credit), { $unmatched } waiting in the queue. { $already } were imported before, { $returned } returns undone, { $ignored } not booked.
bank-upload-missing = Choose a statement file to import.
bank-upload-too-large = The file is too large for the browser; import it with “kontor bank import”.
bank-unreadable = The statement cannot be read.
bank-queue-heading = Reconciliation queue
bank-queue-empty = Nothing is waiting: every transfer is assigned.
bank-date = Booked
bank-amount = Amount
bank-payer = Payer
bank-text = Reference text
bank-suggestions = Likely customers
bank-actions = Assign
bank-suggestion-name = same name
bank-suggestion-iban = paid from this IBAN before
bank-no-suggestion = No suggestion
bank-assign-this = Assign here
bank-to-invoices = Invoice numbers
bank-to-credit = Customer credit (customer number)
bank-assign = Assign
bank-refund = Mark for refund
bank-marked-refund = Marked for refund to the payer.
bank-undo = Undo
bank-assigned = The transfer is assigned and booked.
bank-refund-marked = The transfer is marked for refund.
bank-undone = Undone: the transfer is back in the queue.
bank-unknown-transaction = There is no such bank transaction.
bank-not-in-queue = This transfer is not waiting in the queue any more.
bank-nothing-to-undo = There is nothing to undo for this transfer.
bank-unknown-invoice = There is no invoice with that number.
bank-unknown-customer = There is no customer with that number.
bank-nothing-to-assign = Name at least one invoice number or a customer.
bank-several-customers = The invoices belong to different customers; assign them one customer at a time.
bank-no-account = the statement names no account (Acct/Id/IBAN)
bank-foreign-account = the statement is for account { $iban }, which is not one of our accounts
bank-foreign-currency = an entry in { $currency } on account { $iban }, which is kept in { $account_currency }

## How to pay (one decision for the invoice page, its PDF and its emails)
pay-transfer = Please transfer { $amount } by { $date } to { $holder }, IBAN { $iban }, BIC { $bic }, quoting the reference { $reference }.
pay-transfer-no-bic = Please transfer { $amount } by { $date } to { $holder }, IBAN { $iban }, quoting the reference { $reference }.
pay-qr-bill-attached = Please pay { $amount } by { $date } with the QR-bill payment part of the attached invoice, or transfer it to { $holder }, IBAN { $iban }, quoting the reference { $reference }.
pay-qr-bill-page = You can also pay with the QR-bill payment part at the end of the invoice PDF.
# A domestic transfer in Sweden, Norway or Denmark, after the IBAN sentence.
pay-domestic-bankgiro = From a Swedish bank account: bankgiro { $account }, OCR number { $reference }.
pay-domestic-kid = From a Norwegian bank account: account number { $account }, KID { $reference }.
pay-domestic-fik = From a Danish bank account: pay with the payment slip (FI-kort) { $line }.
