# Prices as customers pay them
price-consumer = { $gross } TTC (TVA { $rate } %)
price-business = { $net } HT plus TVA { $rate } %
price-no-vat = { $amount } (sans TVA facturée par nous)
home-price-for = Prix pour { $country } : { $price } par mois.
home-price-guessed = (Pays déduit de la langue de votre navigateur ; choisissez le vôtre ci-dessous.)
home-country = Votre pays
home-country-show = Afficher le prix
cancel-current-price = Vous payez actuellement { $price } par mois pour votre boîte mail.
storage-switch-title = Remplacer { $name } par
storage-switch = Changer de pack
storage-switch-up = immédiatement ; le reste de la période est facturé au prorata, votre pack actuel prend fin le { $end }
storage-switch-down = à partir du { $date }, la période suivante
