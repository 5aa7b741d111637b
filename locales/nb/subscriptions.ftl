## Katalog: navn på abonnementer
plan-mailbox-10gb = E-postkasse 10 GB
plan-mail-pack-10gb = E-postkasse +10 GB
plan-mail-pack-50gb = E-postkasse +50 GB
plan-mail-pack-100gb = E-postkasse +100 GB
plan-mail-pack-500gb = E-postkasse +500 GB
plan-storage-pack-10gb = Nettlagring +10 GB
plan-storage-pack-50gb = Nettlagring +50 GB
plan-storage-pack-100gb = Nettlagring +100 GB
plan-storage-pack-500gb = Nettlagring +500 GB
catalog-unknown-plan = Dette produktet finnes ikke.
catalog-no-price = Dette produktet har ennå ingen pris i valutaen din.
catalog-price-not-in-future = En ny pris må gjelde fra en dato i fremtiden.
catalog-duplicate-price = Det finnes allerede en pris for dette produktet, denne valutaen og denne datoen.

## Abonnementsfeil
subscription-exists = Du har allerede et abonnement.
subscription-none = Du har ikke noe abonnement ennå.
subscription-ended = Abonnementet ditt er avsluttet: lagringen kan ikke lenger endres.
subscription-not-cancelled = Abonnementet ditt er ikke sagt opp.
pack-already-ending = Denne pakken avsluttes allerede ved slutten av perioden.
iban-invalid = Dette IBAN-nummeret er ikke gyldig. Kontroller det, eller la feltet stå tomt.
trial-refused-title = Ingen gratismåned denne gangen
trial-refused-email = Denne e-postadressen har allerede fått en gratismåned.
trial-refused-payment = Denne bankkontoen er allerede brukt til en gratismåned.
trial-refused-network = For mange gratismåneder er startet fra nettverket ditt i dag. Prøv igjen i morgen.
trial-refused-paid-offer = Du kan likevel tegne abonnement med en gang: E-postkassen faktureres da fra i dag.
trial-refused-subscribe = Tegn abonnement nå

## Mva-merknader på fakturaer og i prisoversikter
vat-note-reverse-charge = Omvendt avgiftsplikt (artikkel 196 i rådsdirektiv 2006/112/EF).
vat-note-outside-eu = Tjenesten er ikke avgiftspliktig i EU (leveringssted utenfor EU).

## Oversikt
dashboard-start-title = Start gratismåneden din
dashboard-start-text = E-postkassen din på 10 GB er gratis den første måneden. Si opp før måneden er omme, så betaler du ingenting.
dashboard-start-trial = Start gratismåneden
dashboard-trial-days-left = { $days ->
    [one] Gratismåneden din slutter om én dag.
   *[other] Gratismåneden din slutter om { $days } dager.
}
dashboard-cancelled = Abonnementet ditt avsluttes den { $date }.
dashboard-reactivate = Behold abonnementet mitt
dashboard-mail-storage = Lagring i e-postkassen
dashboard-online-storage = Nettlagring
dashboard-base-price = Månedspris for e-postkassen
dashboard-next-invoice = Neste faktura
dashboard-next-invoice-estimate = Den { $date }: ca. { $gross } ({ $net } pluss { $rate } % mva, { $vat })
dashboard-storage-link = Legg til eller fjern lagring
dashboard-cancel-link = Si opp abonnementet

## Lagringspakker
storage-title = Lagring
storage-current = Lagringspakkene dine
storage-pack = Pakke
storage-monthly = Per måned
storage-since = Siden
storage-ends-on = Avsluttes den { $date }
storage-remove = Fjern ved slutten av perioden
storage-remove-note = Pakker du fjerner, er tilgjengelige til slutten av inneværende periode. Inneværende periode refunderes ikke.
storage-add = Legg til lagring
storage-add-this = Legg til…
storage-confirm-title = Legg til lagring
storage-confirm-text = { $name } er tilgjengelig med en gang. For resten av inneværende periode ({ $date } til { $end }) betaler du en andel beregnet per dag.
storage-prorated = Andel for { $date } til { $end }
storage-confirm-text-free = { $name } er tilgjengelig med en gang og gratis til gratismåneden din slutter { $end }. Deretter faktureres det månedlig sammen med postkassen din.
storage-free-share = Gratis måned, til { $end }
storage-vat = Mva { $rate } %
storage-total = Totalt på neste faktura
storage-proration-rule = Andelen er månedsprisen ganget med antall gjenværende dager (i dag medregnet), delt på antall dager i perioden, avrundet til nærmeste øre.
storage-confirm = Legg til og betal på neste faktura
storage-back = Tilbake til lagring
storage-added-title = Lagring lagt til
storage-added-text = { $name } er tilgjengelig nå. { $amount } kommer på neste faktura.
storage-removed-title = Lagringspakken er fjernet
storage-removed-text = Pakken er tilgjengelig til den { $date }.
storage-switched-title = Lagringspakken er endret
storage-switched-text = Endringen gjelder fra den { $date }.

## Oppsigelse
cancel-title = Si opp abonnementet
cancel-text = Abonnementet ditt avsluttes ved slutten av inneværende periode, den { $date }. Frem til da fungerer alt som vanlig, og du kan ombestemme deg når som helst før det.
cancel-confirm = Si opp abonnementet
cancel-keep = Behold abonnementet mitt
cancel-done-title = Abonnementet er sagt opp
cancel-done-text = Abonnementet ditt avsluttes den { $date }. Frem til da fungerer alt som vanlig.

## Units
gigabytes = { $gb } GB

## Administrasjon: katalog
backoffice-catalog = Katalog og priser
catalog-plan = Abonnement
catalog-price = Månedspris
catalog-currency = Valuta
catalog-valid-from = Gjelder fra
catalog-add-price = Legg til pris
catalog-add-price-rule = En ny pris gjelder fra den første faktureringsperioden som starter på eller etter datoen. Priser endres eller slettes aldri, og utstedte fakturaer beholder sine.
catalog-price-added = Prisen er lagt til.
catalog-price-invalid = Oppgi en valutakode, et beløp som 1,20 og en dato.

## Notices by email
email-cancel-subject = Abonnementet ditt avsluttes { $date }
email-cancel-action = Vis kontoen min
