## Catalog: plan names
plan-mailbox-10gb = Mailbox 10 GB
plan-mail-pack-10gb = Mailbox +10 GB
plan-mail-pack-50gb = Mailbox +50 GB
plan-mail-pack-100gb = Mailbox +100 GB
plan-mail-pack-500gb = Mailbox +500 GB
plan-storage-pack-10gb = Online storage +10 GB
plan-storage-pack-50gb = Online storage +50 GB
plan-storage-pack-100gb = Online storage +100 GB
plan-storage-pack-500gb = Online storage +500 GB
catalog-unknown-plan = This product does not exist.
catalog-no-price = This product has no price in your currency yet.
catalog-price-not-in-future = A new price must start on a future date.
catalog-duplicate-price = A price for this product, currency and date exists already.

## Subscription errors
subscription-exists = You already have a subscription.
subscription-none = You do not have a subscription yet.
subscription-ended = Your subscription has ended: storage can no longer be changed.
subscription-not-cancelled = Your subscription is not cancelled.
pack-already-ending = This pack already ends at the end of the period.
iban-invalid = This IBAN is not valid. Please check it, or leave the field empty.
trial-refused-title = No free month this time
trial-refused-email = This email address has already had a free month.
trial-refused-payment = This bank account has already been used for a free month.
trial-refused-network = Too many free months have been started from your network today. Please try again tomorrow.
trial-refused-paid-offer = You can still subscribe right away: the mailbox is then billed from today.
trial-refused-subscribe = Subscribe now

## VAT notes on invoices and price previews
vat-note-reverse-charge = Reverse charge: the recipient of the service is liable for the VAT (Art. 196 of Council Directive 2006/112/EC).
vat-note-outside-eu = Service not subject to VAT in the EU (place of supply outside the EU).

## Dashboard
dashboard-start-title = Start your free month
dashboard-start-text = Your 10 GB mailbox is free for the first month. Cancel before it ends and you pay nothing.
dashboard-start-trial = Start free month
dashboard-trial-days-left = { $days ->
    [one] Your free month ends in one day.
   *[other] Your free month ends in { $days } days.
}
dashboard-cancelled = Your subscription ends on { $date }.
dashboard-reactivate = Keep my subscription
dashboard-mail-storage = Mailbox storage
dashboard-online-storage = Online storage
dashboard-base-price = Monthly price of the mailbox
dashboard-next-invoice = Next invoice
dashboard-next-invoice-estimate = On { $date }: about { $gross } ({ $net } plus { $rate } % VAT, { $vat })
dashboard-storage-link = Add or remove storage
dashboard-cancel-link = Cancel subscription

## Storage packs
storage-title = Storage
storage-current = Your storage packs
storage-pack = Pack
storage-monthly = Per month
storage-since = Since
storage-ends-on = Ends on { $date }
storage-remove = Remove at the end of the period
storage-remove-note = Packs you remove stay available until the end of the current period; the running period is not refunded.
storage-add = Add storage
storage-add-this = Add…
storage-confirm-title = Add storage
storage-confirm-text = { $name } is available at once. For the rest of the current period ({ $date } to { $end }) you pay a share by days.
storage-prorated = Share for { $date } to { $end }
storage-confirm-text-free = { $name } is available at once and free until your free month ends on { $end }. After that it is billed monthly with your mailbox.
storage-free-share = Free month, until { $end }
storage-vat = VAT { $rate } %
storage-total = Total on your next invoice
storage-proration-rule = The share is the monthly price times the remaining days (today included) divided by the days of the period, rounded to the cent.
storage-confirm = Add and pay on the next invoice
storage-back = Back to storage
storage-added-title = Storage added
storage-added-text = { $name } is available now. { $amount } will be on your next invoice.
storage-removed-title = Storage pack removed
storage-removed-text = The pack stays available until { $date }.
storage-switched-title = Storage pack changed
storage-switched-text = The change takes effect on { $date }.

## Cancellation
cancel-title = Cancel subscription
cancel-text = Your subscription ends at the end of the current period, on { $date }. Until then everything keeps working. You can change your mind until then.
cancel-confirm = Cancel subscription
cancel-keep = Keep my subscription
cancel-done-title = Subscription cancelled
cancel-done-text = Your subscription ends on { $date }. Until then everything keeps working.

## Units
gigabytes = { $gb } GB

## Back office: catalog
backoffice-catalog = Catalog and prices
catalog-plan = Plan
catalog-price = Monthly price
catalog-currency = Currency
catalog-valid-from = Valid from
catalog-add-price = Add a price
catalog-add-price-rule = A new price applies from the first billing period that starts on or after its date. Prices are never changed or deleted, and issued invoices keep theirs.
catalog-price-added = The price has been added.
catalog-price-invalid = Please enter a currency code, an amount such as 1.20 and a date.

## Notices by email
email-cancel-subject = Your subscription ends on { $date }
email-cancel-action = Show my account
