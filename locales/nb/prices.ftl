# Prices as customers pay them
price-consumer = { $gross } inkl. { $rate } % mva.
price-business = { $net } pluss { $rate } % mva.
price-no-vat = { $amount } (uten mva. fra oss)
home-price-for = Pris for { $country }: { $price } i måneden.
home-price-guessed = (Land gjettet ut fra nettleserens språk; velg ditt nedenfor.)
home-country = Ditt land
home-country-show = Vis prisen
cancel-current-price = I dag betaler du { $price } i måneden for e-postkassen din.
storage-switch-title = Bytt { $name } til
storage-switch = Bytt pakke
storage-switch-up = med en gang; resten av perioden beregnes per dag, den nåværende pakken avsluttes { $end }
storage-switch-down = fra { $date }, neste periode
