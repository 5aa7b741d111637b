# Prices as customers pay them
price-consumer = { $gross } inkl. { $rate } % MwSt.
price-business = { $net } zzgl. { $rate } % MwSt.
price-no-vat = { $amount } (ohne Umsatzsteuer von uns)
home-price-for = Preis für { $country }: { $price } im Monat.
home-price-guessed = (Land aus der Sprache Ihres Browsers geschätzt; wählen Sie unten Ihres.)
home-country = Ihr Land
home-country-show = Preis anzeigen
cancel-current-price = Derzeit zahlen Sie { $price } im Monat für Ihr Postfach.
storage-switch-title = { $name } wechseln zu
storage-switch = Paket wechseln
storage-switch-up = sofort; der Rest dieses Zeitraums wird tageweise berechnet, Ihr bisheriges Paket endet am { $end }
storage-switch-down = ab { $date }, dem nächsten Zeitraum
