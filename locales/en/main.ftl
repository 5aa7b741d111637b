## Kontor: messages shared by every page. Keep ids in kebab-case, grouped by area.

language-name = English
product-name = Kontor
product-tagline = Your mailbox and storage account

## Navigation and layout
nav-home = Home
nav-status = Service status
nav-sign-in = Sign in
nav-language = Language
nav-skip = Skip to content
footer-company = { $company } · Mail and storage hosting in Europe

## Home page
home-title = Mail and storage you can count on
home-lead = A 10 GB mailbox for { $price } a month. The first month is free.
home-feature-trial-title = First month free
home-feature-trial-text = Try everything for a month. Cancel any time before it ends and pay nothing.
home-feature-storage-title = Storage that grows with you
home-feature-storage-text = Add 10, 50, 100 or 500 GB whenever you need it, charged by the day.
home-feature-invoices-title = Clear invoices
home-feature-invoices-text = Monthly PDF invoices in your language, payable by bank transfer, direct debit or PayPal.
home-cta = Start your free month

## Health and errors
health-ok = All systems operational
health-database-down = The database cannot be reached
error-page-title = Something went wrong
error-not-found = This page does not exist.
error-internal = An unexpected error occurred. Nothing was changed; please try again in a moment.
error-back-home = Back to the home page

## Money input and ledger errors
money-currency-mismatch = Amounts in different currencies cannot be combined.
money-overflow = The amount is too large.
money-not-rounded = The amount has more decimal places than the currency allows.
money-invalid-weights = The amount cannot be split in these proportions.
money-no-parts = The amount must be split into at least one part.
money-parse-empty = Please enter an amount.
money-parse-invalid = Please enter an amount using digits and at most one decimal separator, for example 12.50.
money-parse-too-many-decimals = Please enter at most { $allowed } decimal places.
money-parse-too-large = The amount is too large.
ledger-invalid-entry = The booking is incomplete.
ledger-too-few-postings = A booking needs at least two postings.
ledger-zero-posting = A booking cannot contain a posting of zero.
ledger-not-rounded = A booking amount has more decimal places than the currency allows.
ledger-unbalanced = The booking does not balance: debits and credits differ.
ledger-idempotency-conflict = This booking was already recorded with different content.
ledger-currency-mismatch = The booking's currency differs from the account's currency.
ledger-unknown-account = The account does not exist.
ledger-account-conflict = An account with this code already exists with different settings.
ledger-corrupt = The books contain data that cannot be read. Finance has been notified.
ledger-refused = The database refused the booking because it would break the books.

## Amounts: where the symbol goes, and each currency's symbol in this language
money-format = { $symbol }{ $amount }
currency-EUR = €
currency-CHF = CHF{" "}
currency-GBP = £
currency-SEK = SEK{" "}
currency-NOK = NOK{" "}
currency-DKK = DKK{" "}
text-control-character = Please remove control characters (such as escape or carriage-return characters) from the text.
text-too-long = The text is too long.

# Forms that cannot be read (web::form) and forms sent again (web::submission).
form-unreadable = The form could not be read. Please go back, reload the page and try again.
form-control-characters = The form contains invisible control characters. Please type the text again without them.
form-too-large = The form is too large. Please shorten the text and try again.
form-expired = Your form expired. Please go back, reload the page and try again.
submission-running-title = Still working
submission-running-text = This form was already sent and is still being processed. Reload this page in a moment to see the result; nothing will be done twice.
