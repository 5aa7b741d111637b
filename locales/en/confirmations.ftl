# Emails that confirm a change
email-free-month-subject = Your free month has started
email-free-month-text = Your free month runs until { $date } (inclusive) and costs nothing. After that the mailbox costs { $price } a month, unless you cancel before.
email-pack-added-subject = Storage pack added
email-pack-added-text = { $name } is part of your subscription from { $date }, for { $price } a month.
email-pack-removed-subject = Storage pack removed
email-pack-removed-text = { $name } ends on { $date } (inclusive) and is not billed after that.
email-mandate-subject = Your SEPA direct debit mandate { $reference }
email-mandate-intro = On { $date } you signed this SEPA direct debit mandate for your account IBAN ending { $iban }:
email-mandate-text = { $text }
email-mandate-creditor = Creditor: { $creditor } (creditor identifier { $creditor_id }).
email-mandate-action = Show my payment methods
email-paid-subject = Invoice { $number } is paid
email-paid-text = Thank you! Invoice { $number } was paid in full on { $date } ({ $amount }).
email-paid-method = Paid by: { $method }
email-paid-action = Show the payment receipt
