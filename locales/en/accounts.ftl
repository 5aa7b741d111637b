## Accounts: sign-up, log-in, settings, security. Keep ids in kebab-case.

nav-sign-up = Sign up
nav-account = My account
nav-sign-out = Sign out
nav-backoffice = Back office

## Form errors
field-required = Please fill in this field.
field-invalid = Please check this field.
field-unprintable = This contains characters our invoices cannot print. Please use Latin, Greek or Cyrillic letters.
email-invalid = Please enter a valid email address, for example anna@example.com.
country-unknown = Please choose your country from the list.
vat-id-empty = Please enter your VAT ID or leave the field empty.
vat-id-wrong-country = This VAT ID belongs to another country than the one you chose.
vat-id-bad-format = This VAT ID does not have the format used in your country.
vat-id-bad-check-digit = This VAT ID has a typing error (its check digit does not match).
password-too-short = Please use at least { $min } characters.
password-too-long = Please use at most { $max } characters.
password-too-common = This password is too common and easy to guess. Please choose another.
password-contains-personal-data = Please do not use your name or email address in your password.
password-blank = Please choose a password that is not only spaces.
account-invalid-link = This link is invalid, has already been used or has expired.
account-wrong-password = The password is not correct.
account-not-verified = Please confirm your email address first.
csrf-failed = Your form expired. Please go back, reload the page and try again.
rate-limited-title = Too many attempts
rate-limited = Too many attempts. Please wait { $seconds } seconds and try again.
totp-not-enrolled = Two-factor authentication is not set up for this account.
totp-malformed = Please enter the 6-digit code from your authenticator app, or a recovery code.
totp-wrong-code = The code is not correct. Please try again with a fresh code.
totp-replayed = This code has already been used. Please wait for the next code.

## Sign-up
signup-title = Create your account
signup-lead = Your first month is free. You can cancel at any time before it ends.
signup-email = Email address
signup-password = Password
signup-password-hint = At least { $min } characters. A long phrase is easy to remember and hard to guess.
signup-name = Full name
signup-company = Company (optional)
signup-vat-id = VAT ID (optional, for businesses)
signup-street = Street and number
signup-postal-code = Postal code
signup-city = City
signup-country = Country
signup-language = Language for emails and invoices
signup-submit = Create account
signup-have-account = Already a customer? Sign in
signup-done-title = Please check your inbox
signup-done-text = We have sent a confirmation link to { $email }. Click it to confirm your address; then you can start your free month.

## Email verification
verify-done-title = Email address confirmed
verify-done-text = Thank you! Your email address is confirmed.
verify-pending = Please confirm your email address: we sent you a link. Until then you cannot start a trial or buy.
verify-resend = Send the link again
verify-resent = We have sent you a new confirmation link.

## Sign-in
login-title = Sign in
login-email = Email address
login-password = Password
login-submit = Sign in
login-failed = The email address or password is not correct.
login-forgot = Forgot your password?
login-no-account = New here? Create an account
logout-done = You have been signed out.

## My account
account-title = My account
account-welcome = Welcome, { $name }!
account-email = Email address
account-verified = Confirmed
account-settings = Settings
account-sessions = Signed-in devices
account-data = My data

## Settings
settings-title = Settings
settings-saved = Your changes have been saved.
settings-save = Save changes
settings-country-fixed = Your country sets your currency and cannot be changed here. Please contact support if you have moved.
settings-vat-valid = The EU's VIES service confirmed { $vat_id } as valid on { $date }.
settings-vat-invalid = The EU's VIES service reports { $vat_id } as not valid (checked on { $date }). Until a valid VAT ID is on file, your invoices carry VAT as a private customer's do. Please check the number and correct it.
settings-vat-pending = { $vat_id } could not be checked with the EU's VIES service yet; we will try again. Until it is confirmed, your invoices carry VAT as a private customer's do.
settings-password-title = Change password
settings-password-current = Current password
settings-password-new = New password
settings-password-change = Change password
settings-password-changed = Your password has been changed. Other devices have been signed out.
settings-data-title = Your data
settings-data-text = Download everything we store about you as a JSON file.
settings-data-download = Download my data
settings-close-title = Close account
settings-close-text = Closing your account signs you out everywhere and ends your services at the end of the current period. We keep your invoices as long as the law requires, then anonymize them.
settings-close-confirm = Type your password to confirm
settings-close-submit = Close my account
account-closed-title = Your account is closed
account-closed-text = Thank you for having been with us. Your invoices stay available to us for as long as the law requires.

## Sessions
sessions-title = Signed-in devices
sessions-current = This device
sessions-started = Signed in
sessions-last-seen = Last active
sessions-ip = IP address
sessions-device = Browser
sessions-end = Sign out
sessions-end-all = Sign out everywhere
sessions-ended = The device has been signed out.

## Password reset
forgot-title = Forgot your password?
forgot-text = Enter your email address and we will send you a link to choose a new password.
forgot-submit = Send link
forgot-sent = If an account exists for this address, we have sent it a link. It is valid for one hour.
reset-title = Choose a new password
reset-submit = Save new password
reset-done = Your new password is saved. Please sign in.
set-password-title = Choose your password

## Two-factor authentication (staff)
twofa-enrol-title = Set up two-factor authentication
twofa-enrol-text = Your role needs a second factor. Add this account to an authenticator app (such as FreeOTP or Aegis) with the key below, then enter the 6-digit code it shows.
twofa-secret-label = Key
twofa-uri-label = Link for authenticator apps
twofa-code-label = Code
twofa-confirm = Confirm
twofa-recovery-title = Your recovery codes
twofa-recovery-text = Each code lets you in once if you lose your phone. Store them somewhere safe: they are shown only now.
twofa-continue = Continue to the back office
twofa-challenge-title = Two-factor authentication
twofa-challenge-text = Enter the code from your authenticator app, or one of your recovery codes.
twofa-submit = Verify

## Back office
backoffice-title = Back office
backoffice-welcome = Signed in as { $email } ({ $role }).
backoffice-audit = Audit log
audit-title = Audit log
audit-when = When
audit-who = Who
audit-action = Action
audit-target = Target
audit-ip = IP address
role-customer = Customer
role-support = Support
role-finance = Finance
role-admin = Administrator

## Emails
email-greeting = Hello,
email-signature = Your Kontor team
email-footer = Kontor · Mail and storage hosting in Europe · This is an automated message; replies are not read.
email-verify-subject = Please confirm your email address
email-verify-body = Welcome to Kontor, { $name }! Please confirm your email address so that you can start your free month.
email-verify-expiry = The link is valid for { $hours } hours.
email-verify-action = Confirm email address
email-reset-subject = Reset your Kontor password
email-reset-body = Someone, hopefully you, asked to reset the password of your Kontor account.
email-reset-expiry = { $hours ->
    [one] The link is valid for one hour.
   *[other] The link is valid for { $hours } hours.
}
email-reset-ignore = If you did not ask for this, you can ignore this email: your password stays as it is.
email-reset-action = Choose a new password
email-signup-exists-subject = Your Kontor account
email-signup-exists-body = Someone tried to create a new Kontor account with this email address. You already have an account: sign in, or choose a new password if you have forgotten it.
email-signup-exists-action = Choose a new password

## Countries
country-de = Germany
country-at = Austria
country-ch = Switzerland
country-fr = France
country-nl = Netherlands
country-dk = Denmark
country-no = Norway
country-se = Sweden
country-gb = United Kingdom
country-be = Belgium
country-bg = Bulgaria
country-cy = Cyprus
country-cz = Czechia
country-ee = Estonia
country-es = Spain
country-fi = Finland
country-gr = Greece
country-hr = Croatia
country-hu = Hungary
country-ie = Ireland
country-it = Italy
country-lt = Lithuania
country-lu = Luxembourg
country-lv = Latvia
country-mt = Malta
country-pl = Poland
country-pt = Portugal
country-ro = Romania
country-si = Slovenia
country-sk = Slovakia

## Changing the email address: settings, the links, the notices
settings-email-title = Email address
settings-email-current = You sign in and receive your invoices at { $address }.
settings-email-new = New email address
settings-email-hint = We send a link to the new address. Your address changes when you open it (within 24 hours).
settings-email-change = Change email address
email-change-sent = We have sent a link to { $address }. Open it within 24 hours to confirm the change; until then your address stays as it is.
email-change-same = This is already your email address.
email-change-taken = This email address is already used by another account.
email-change-done = Your email address is now { $address }.
email-confirm-title = Confirm your new email address
email-confirm-text = Sign in and receive your invoices at { $address } from now on?
email-confirm-submit = Confirm the new address
email-restore-title = Restore your email address
email-restore-text = Make { $address } the address of your account again? Everyone signed in to your account is signed out; then you choose a new password.
email-restore-submit = Restore my address
email-restore-done = Your email address is { $address } again and everyone has been signed out. Choose a new password now: the link goes to { $address }.
email-change-verify-subject = Confirm your new email address
email-change-verify-body = You asked to use { $address } for your Kontor account. Open the link below to confirm it.
email-change-verify-expiry = The link is valid for { $hours } hours. If you did not ask for this, ignore this email: nothing changes.
email-change-verify-action = Confirm the new address
email-change-taken-subject = Someone tried to use your email address
email-change-taken-body = Someone signed in to another Kontor account tried to change its email address to this one. Nothing has changed on your account. If it was you: this address already belongs to your own account here, so sign in with it, or choose a new password if you have forgotten it.
email-change-taken-action = Choose a new password
email-changed-subject = The email address of your Kontor account was changed
email-changed-body = The email address of your Kontor account was changed to { $address }. From now on we write to the new address.
email-changed-not-you = If this wasn't you, someone knows your password: use the button below within { $days } days to get your address back and sign everyone out, then choose a new password.
email-changed-restore-action = This wasn't me: restore my address
email-changed-by-admin-body = An administrator changed the email address of your Kontor staff account to { $address }.
email-changed-by-admin-not-you = If you did not expect this, tell your administrator at once.
email-changed-new-subject = This is now your Kontor sign-in address
email-changed-new-body = An administrator made { $address } the address of your Kontor staff account: sign in with it from now on.
email-changed-new-action = Sign in

# A closed account (closing.rs): the read-only overview and the confirmation email.
account-closed-services = Your services run until { $date }; nothing more will be invoiced.
account-closed-services-ended = Your services have ended.
account-closed-open = { $count ->
    [one] One invoice is still open. You can pay it by bank transfer or PayPal.
   *[other] { $count } invoices are still open. You can pay them by bank transfer or PayPal.
}
account-closed-last-invoice = Storage you added this period comes on one last invoice.
account-closed-read-only = You can sign in to see your invoices and payments until everything is settled.
email-closed-subject = Your account is closed
email-closed-services = Your services run until { $date }. Nothing more will be invoiced after that, and any direct debit mandate has been revoked.
email-closed-invoices = You can still sign in to see your invoices and payments and to pay what is open, until everything is settled.
email-closed-action = Show my invoices
settings-e-invoice-title = E-invoices
settings-e-invoice-text = We can send your invoices as Factur-X e-invoices: the same PDF, carrying the invoice as structured XML that accounting software reads. Business customers with a VAT ID receive them anyway.
settings-e-invoice-label = Send my invoices as Factur-X e-invoices
settings-e-invoice-save = Save
settings-e-invoice-on = From your next invoice on, you receive Factur-X e-invoices.
settings-e-invoice-off = Your next invoices come as plain PDFs.
