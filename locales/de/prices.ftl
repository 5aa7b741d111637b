# Prices as customers pay them
price-consumer = { $gross } inkl. { $rate } % MwSt.
price-business = { $net } zzgl. { $rate } % MwSt.
price-no-vat = { $amount } (ohne Umsatzsteuer von uns)
home-price-for = Preis für { $country }: { $price } im Monat.
home-price-guessed = (Land aus der Sprache Ihres Browsers geschätzt; wählen Sie unten Ihres.)
home-country = Ihr Land
home-country-show = Preis anzeigen
cancel-current-price = Derzeit zahlen Sie { $price } im Monat für Ihr Postfach.
