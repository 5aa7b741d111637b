# Prices as customers pay them
price-consumer = { $gross } inkl. { $rate } % moms
price-business = { $net } plus { $rate } % moms
price-no-vat = { $amount } (utan moms från oss)
home-price-for = Pris för { $country }: { $price } i månaden.
home-price-guessed = (Landet gissat utifrån webbläsarens språk; välj ditt nedan.)
home-country = Ditt land
home-country-show = Visa priset
cancel-current-price = I dag betalar du { $price } i månaden för din e-postlåda.
storage-switch-title = Byt { $name } till
storage-switch = Byt paket
storage-switch-up = direkt; resten av perioden debiteras per dag, ditt nuvarande paket upphör { $end }
storage-switch-down = från { $date }, nästa period
