# Prices as customers pay them
price-consumer = { $gross } incl. { $rate } % btw
price-business = { $net } excl. { $rate } % btw
price-no-vat = { $amount } (zonder btw van ons)
home-price-for = Prijs voor { $country }: { $price } per maand.
home-price-guessed = (Land afgeleid uit de taal van uw browser; kies hieronder het uwe.)
home-country = Uw land
home-country-show = Prijs tonen
cancel-current-price = U betaalt nu { $price } per maand voor uw mailbox.
storage-switch-title = { $name } wisselen naar
storage-switch = Pakket wisselen
storage-switch-up = direct; de rest van deze periode wordt per dag berekend, uw huidige pakket eindigt op { $end }
storage-switch-down = vanaf { $date }, de volgende periode
