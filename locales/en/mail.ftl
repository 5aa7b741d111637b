## Mail delivery in the back office.

mail-undeliverable-title = Undeliverable email
mail-undeliverable-intro = These emails were refused by the receiving mail server or could not be delivered after repeated attempts. They are not sent again unless you queue them again, for example after correcting the customer's address.
mail-undeliverable-none = No undeliverable email.
mail-failed-at = Failed at
mail-recipient = Recipient
mail-subject = Subject
mail-attempts = Attempts
mail-error = Last error
mail-retry = Send again
mail-retry-queued = The email is queued again and will be sent shortly.
mail-retry-unknown = This email is not among the undeliverable ones.
