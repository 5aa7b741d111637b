# Prices as customers pay them
price-consumer = { $gross } inkl. { $rate } % moms
price-business = { $net } plus { $rate } % moms
price-no-vat = { $amount } (uden moms fra os)
home-price-for = Pris for { $country }: { $price } om måneden.
home-price-guessed = (Land gættet ud fra din browsers sprog; vælg dit nedenfor.)
home-country = Dit land
home-country-show = Vis prisen
cancel-current-price = I dag betaler du { $price } om måneden for din mailboks.
storage-switch-title = Skift { $name } til
storage-switch = Skift pakke
storage-switch-up = med det samme; resten af perioden beregnes pr. dag, din nuværende pakke slutter { $end }
storage-switch-down = fra { $date }, næste periode
