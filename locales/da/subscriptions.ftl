## Katalog: navne på abonnementer
plan-mailbox-10gb = Postkasse 10 GB
plan-mail-pack-10gb = Postkasse +10 GB
plan-mail-pack-50gb = Postkasse +50 GB
plan-mail-pack-100gb = Postkasse +100 GB
plan-mail-pack-500gb = Postkasse +500 GB
plan-storage-pack-10gb = Onlinelager +10 GB
plan-storage-pack-50gb = Onlinelager +50 GB
plan-storage-pack-100gb = Onlinelager +100 GB
plan-storage-pack-500gb = Onlinelager +500 GB
catalog-unknown-plan = Dette produkt findes ikke.
catalog-no-price = Dette produkt har endnu ingen pris i din valuta.
catalog-price-not-in-future = En ny pris skal gælde fra en fremtidig dato.
catalog-duplicate-price = Der findes allerede en pris for dette produkt, denne valuta og denne dato.

## Fejl ved abonnementer
subscription-exists = Du har allerede et abonnement.
subscription-none = Du har endnu ikke et abonnement.
subscription-ended = Dit abonnement er ophørt: lagerpladsen kan ikke længere ændres.
subscription-not-cancelled = Dit abonnement er ikke opsagt.
pack-already-ending = Denne pakke ophører allerede ved periodens udløb.
iban-invalid = Dette IBAN-nummer er ugyldigt. Kontrollér det, eller lad feltet stå tomt.
trial-refused-title = Ingen gratis måned denne gang
trial-refused-email = Denne mailadresse har allerede fået en gratis måned.
trial-refused-payment = Denne bankkonto er allerede blevet brugt til en gratis måned.
trial-refused-network = Der er startet for mange gratis måneder fra dit netværk i dag. Prøv igen i morgen.
trial-refused-paid-offer = Du kan stadig tegne abonnement med det samme: Postkassen faktureres så fra i dag.
trial-refused-subscribe = Tegn abonnement nu

## Momsbemærkninger på fakturaer og i prisoversigter
vat-note-reverse-charge = Omvendt betalingspligt (artikel 196 i Rådets direktiv 2006/112/EF).
vat-note-outside-eu = Ydelsen er ikke momspligtig i EU (leveringssted uden for EU).

## Oversigt
dashboard-start-title = Start din gratis måned
dashboard-start-text = Din postkasse på 10 GB er gratis den første måned. Opsig, inden måneden udløber, så betaler du ingenting.
dashboard-start-trial = Start gratis måned
dashboard-trial-days-left = { $days ->
    [one] Din gratis måned udløber om én dag.
   *[other] Din gratis måned udløber om { $days } dage.
}
dashboard-cancelled = Dit abonnement ophører den { $date }.
dashboard-reactivate = Behold mit abonnement
dashboard-mail-storage = Lagerplads i postkassen
dashboard-online-storage = Onlinelager
dashboard-base-price = Månedspris for postkassen
dashboard-next-invoice = Næste faktura
dashboard-next-invoice-estimate = Den { $date }: ca. { $gross } ({ $net } plus { $rate } % moms, { $vat })
dashboard-storage-link = Tilføj eller fjern lagerplads
dashboard-cancel-link = Opsig abonnement

## Lagerpakker
storage-title = Lagerplads
storage-current = Dine lagerpakker
storage-pack = Pakke
storage-monthly = Pr. måned
storage-since = Siden
storage-ends-on = Ophører den { $date }
storage-remove = Fjern ved periodens udløb
storage-remove-note = Pakker, du fjerner, er tilgængelige indtil udgangen af den aktuelle periode. Den igangværende periode refunderes ikke.
storage-add = Tilføj lagerplads
storage-add-this = Tilføj…
storage-confirm-title = Tilføj lagerplads
storage-confirm-text = { $name } er tilgængelig med det samme. For resten af den aktuelle periode ({ $date } til { $end }) betaler du en forholdsmæssig andel pr. dag.
storage-prorated = Andel for { $date } til { $end }
storage-confirm-text-free = { $name } er tilgængelig med det samme og gratis, indtil din gratis måned slutter den { $end }. Derefter faktureres det månedligt sammen med din postkasse.
storage-free-share = Gratis måned, til { $end }
storage-vat = Moms { $rate } %
storage-total = I alt på din næste faktura
storage-proration-rule = Andelen er månedsprisen gange antallet af resterende dage (inklusive i dag) divideret med antallet af dage i perioden, afrundet til nærmeste øre.
storage-confirm = Tilføj, og betal med næste faktura
storage-back = Tilbage til lagerplads
storage-added-title = Lagerplads tilføjet
storage-added-text = { $name } er tilgængelig nu. { $amount } kommer med på din næste faktura.
storage-removed-title = Lagerpakken er fjernet
storage-removed-text = Pakken er tilgængelig indtil den { $date }.
storage-switched-title = Lagerpakken er ændret
storage-switched-text = Ændringen træder i kraft den { $date }.

## Opsigelse
cancel-title = Opsig abonnement
cancel-text = Dit abonnement ophører ved udgangen af den aktuelle periode, den { $date }. Indtil da fungerer alt som normalt, og du kan stadig fortryde.
cancel-confirm = Opsig abonnement
cancel-keep = Behold mit abonnement
cancel-done-title = Abonnementet er opsagt
cancel-done-text = Dit abonnement ophører den { $date }. Indtil da fungerer alt som normalt.

## Units
gigabytes = { $gb } GB

## Administration: katalog
backoffice-catalog = Katalog og priser
catalog-plan = Abonnement
catalog-price = Månedspris
catalog-currency = Valuta
catalog-valid-from = Gælder fra
catalog-add-price = Tilføj pris
catalog-add-price-rule = En ny pris gælder fra den første faktureringsperiode, der begynder på eller efter dens dato. Priser ændres eller slettes aldrig, og udstedte fakturaer beholder deres.
catalog-price-added = Prisen er tilføjet.
catalog-price-invalid = Angiv en valutakode, et beløb som 1,20 og en dato.

## Notices by email
email-cancel-subject = Dit abonnement slutter den { $date }
email-cancel-action = Vis min konto
