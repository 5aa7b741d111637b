# Prices as customers pay them
price-consumer = { $gross } inkl. { $rate } % moms
price-business = { $net } plus { $rate } % moms
price-no-vat = { $amount } (uden moms fra os)
home-price-for = Pris for { $country }: { $price } om måneden.
home-price-guessed = (Land gættet ud fra din browsers sprog; vælg dit nedenfor.)
home-country = Dit land
home-country-show = Vis prisen
cancel-current-price = I dag betaler du { $price } om måneden for din mailboks.
