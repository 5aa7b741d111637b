# Prices as customers pay them
price-consumer = { $gross } incl. { $rate } % VAT
price-business = { $net } plus { $rate } % VAT
price-no-vat = { $amount } (no VAT charged by us)
home-price-for = Price for { $country }: { $price } a month.
home-price-guessed = (Country guessed from your browser’s language; choose yours below.)
home-country = Your country
home-country-show = Show the price
cancel-current-price = Today you pay { $price } a month for your mailbox.
storage-switch-title = Switch { $name } to
storage-switch = Switch pack
storage-switch-up = at once; the rest of this period is charged by days, your current pack ends on { $end }
storage-switch-down = from { $date }, the next period
