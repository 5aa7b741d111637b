## Catalogus: namen van abonnementen
plan-mailbox-10gb = Mailbox 10 GB
plan-mail-pack-10gb = Mailbox +10 GB
plan-mail-pack-50gb = Mailbox +50 GB
plan-mail-pack-100gb = Mailbox +100 GB
plan-mail-pack-500gb = Mailbox +500 GB
plan-storage-pack-10gb = Online opslag +10 GB
plan-storage-pack-50gb = Online opslag +50 GB
plan-storage-pack-100gb = Online opslag +100 GB
plan-storage-pack-500gb = Online opslag +500 GB
catalog-unknown-plan = Dit product bestaat niet.
catalog-no-price = Dit product heeft nog geen prijs in uw valuta.
catalog-price-not-in-future = Een nieuwe prijs moet op een datum in de toekomst ingaan.
catalog-duplicate-price = Er bestaat al een prijs voor dit product, deze valuta en deze datum.

## Fouten bij abonnementen
subscription-exists = U hebt al een abonnement.
subscription-none = U hebt nog geen abonnement.
subscription-ended = Uw abonnement is beëindigd: de opslag kan niet meer worden gewijzigd.
subscription-not-cancelled = Uw abonnement is niet opgezegd.
pack-already-ending = Dit pakket stopt al aan het einde van de periode.
iban-invalid = Dit IBAN is ongeldig. Controleer het of laat het veld leeg.
trial-refused-title = Deze keer geen gratis maand
trial-refused-email = Voor dit e-mailadres is al een gratis maand gebruikt.
trial-refused-payment = Deze bankrekening is al gebruikt voor een gratis maand.
trial-refused-network = Vanaf uw netwerk zijn vandaag te veel gratis maanden gestart. Probeer het morgen opnieuw.
trial-refused-paid-offer = U kunt wel meteen een abonnement nemen: de mailbox wordt dan vanaf vandaag gefactureerd.
trial-refused-subscribe = Nu abonneren

## Btw-vermeldingen op facturen en in prijsoverzichten
vat-note-reverse-charge = Btw verlegd (artikel 196 van Richtlijn 2006/112/EG).
vat-note-outside-eu = Dienst niet belast met btw in de EU (plaats van dienst buiten de EU).

## Dashboard
dashboard-start-title = Start uw gratis maand
dashboard-start-text = Uw mailbox van 10 GB is de eerste maand gratis. Zeg vóór het einde van die maand op en u betaalt niets.
dashboard-start-trial = Gratis maand starten
dashboard-trial-days-left = { $days ->
    [one] Uw gratis maand eindigt over één dag.
   *[other] Uw gratis maand eindigt over { $days } dagen.
}
dashboard-cancelled = Uw abonnement eindigt op { $date }.
dashboard-reactivate = Mijn abonnement behouden
dashboard-mail-storage = Mailboxopslag
dashboard-online-storage = Online opslag
dashboard-base-price = Maandprijs van de mailbox
dashboard-next-invoice = Volgende factuur
dashboard-next-invoice-estimate = Op { $date }: ongeveer { $gross } ({ $net } plus { $rate }% btw, { $vat })
dashboard-storage-link = Opslag toevoegen of verwijderen
dashboard-cancel-link = Abonnement opzeggen

## Opslagpakketten
storage-title = Opslag
storage-current = Uw opslagpakketten
storage-pack = Pakket
storage-monthly = Per maand
storage-since = Sinds
storage-ends-on = Eindigt op { $date }
storage-remove = Verwijderen aan het einde van de periode
storage-remove-note = Pakketten die u verwijdert, blijven beschikbaar tot het einde van de lopende periode; de lopende periode wordt niet terugbetaald.
storage-add = Opslag toevoegen
storage-add-this = Toevoegen…
storage-confirm-title = Opslag toevoegen
storage-confirm-text = { $name } is direct beschikbaar. Voor de rest van de lopende periode ({ $date } tot { $end }) betaalt u een deel naar rato van het aantal dagen.
storage-prorated = Deel voor { $date } tot { $end }
storage-confirm-text-free = { $name } is direct beschikbaar en gratis tot het einde van uw gratis maand op { $end }. Daarna wordt het maandelijks met uw mailbox gefactureerd.
storage-free-share = Gratis maand, tot { $end }
storage-vat = Btw { $rate }%
storage-total = Totaal op uw volgende factuur
storage-proration-rule = Het deel is de maandprijs maal het aantal resterende dagen (vandaag inbegrepen), gedeeld door het aantal dagen van de periode, afgerond op de cent.
storage-confirm = Toevoegen en betalen met de volgende factuur
storage-back = Terug naar opslag
storage-added-title = Opslag toegevoegd
storage-added-text = { $name } is nu beschikbaar. { $amount } komt op uw volgende factuur.
storage-removed-title = Opslagpakket verwijderd
storage-removed-text = Het pakket blijft beschikbaar tot { $date }.
storage-switched-title = Opslagpakket gewijzigd
storage-switched-text = De wijziging gaat in op { $date }.

## Opzeggen
cancel-title = Abonnement opzeggen
cancel-text = Uw abonnement eindigt aan het einde van de lopende periode, op { $date }. Tot die tijd blijft alles gewoon werken, en tot dan kunt u zich nog bedenken.
cancel-confirm = Abonnement opzeggen
cancel-keep = Mijn abonnement behouden
cancel-done-title = Abonnement opgezegd
cancel-done-text = Uw abonnement eindigt op { $date }. Tot die tijd blijft alles gewoon werken.

## Units
gigabytes = { $gb } GB

## Backoffice: catalogus
backoffice-catalog = Catalogus en prijzen
catalog-plan = Abonnement
catalog-price = Prijs per maand
catalog-currency = Valuta
catalog-valid-from = Geldig vanaf
catalog-add-price = Prijs toevoegen
catalog-add-price-rule = Een nieuwe prijs geldt vanaf de eerste factuurperiode die op of na de datum begint. Prijzen worden nooit gewijzigd of verwijderd, en uitgegeven facturen behouden hun prijs.
catalog-price-added = De prijs is toegevoegd.
catalog-price-invalid = Vul een valutacode, een bedrag zoals 1,20 en een datum in.

## Notices by email
email-cancel-subject = Uw abonnement eindigt op { $date }
email-cancel-action = Mijn account bekijken
