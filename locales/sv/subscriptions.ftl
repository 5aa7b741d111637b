## Katalog: namn på abonnemang
plan-mailbox-10gb = E-postlåda 10 GB
plan-mail-pack-10gb = E-postlåda +10 GB
plan-mail-pack-50gb = E-postlåda +50 GB
plan-mail-pack-100gb = E-postlåda +100 GB
plan-mail-pack-500gb = E-postlåda +500 GB
plan-storage-pack-10gb = Onlinelagring +10 GB
plan-storage-pack-50gb = Onlinelagring +50 GB
plan-storage-pack-100gb = Onlinelagring +100 GB
plan-storage-pack-500gb = Onlinelagring +500 GB
catalog-unknown-plan = Produkten finns inte.
catalog-no-price = Produkten har ännu inget pris i din valuta.
catalog-price-not-in-future = Ett nytt pris måste börja gälla ett datum i framtiden.
catalog-duplicate-price = Det finns redan ett pris för den här produkten, valutan och datumet.

## Fel för abonnemang
subscription-exists = Du har redan ett abonnemang.
subscription-none = Du har inget abonnemang än.
subscription-ended = Ditt abonnemang har upphört: lagringen kan inte längre ändras.
subscription-not-cancelled = Ditt abonnemang är inte uppsagt.
pack-already-ending = Paketet upphör redan vid periodens slut.
iban-invalid = IBAN-numret är ogiltigt. Kontrollera det eller lämna fältet tomt.
trial-refused-title = Ingen gratismånad den här gången
trial-refused-email = Den här e-postadressen har redan fått en gratismånad.
trial-refused-payment = Det här bankkontot har redan använts för en gratismånad.
trial-refused-network = För många gratismånader har startats från ditt nätverk i dag. Försök igen i morgon.
trial-refused-paid-offer = Du kan ändå teckna abonnemang direkt: e-postlådan debiteras då från och med i dag.
trial-refused-subscribe = Teckna abonnemang nu

## Momstexter på fakturor och i prisförhandsvisningar
vat-note-reverse-charge = Omvänd betalningsskyldighet (artikel 196 i rådets direktiv 2006/112/EG).
vat-note-outside-eu = Tjänsten är inte momspliktig i EU (omsättningsland utanför EU).

## Översikt
dashboard-start-title = Starta din gratismånad
dashboard-start-text = Din e-postlåda på 10 GB är gratis den första månaden. Säg upp innan den tar slut, så betalar du ingenting.
dashboard-start-trial = Starta gratismånaden
dashboard-trial-days-left = { $days ->
    [one] Din gratismånad tar slut om en dag.
   *[other] Din gratismånad tar slut om { $days } dagar.
}
dashboard-cancelled = Ditt abonnemang upphör den { $date }.
dashboard-reactivate = Behåll mitt abonnemang
dashboard-mail-storage = Lagring i e-postlådan
dashboard-online-storage = Onlinelagring
dashboard-base-price = Månadspris för e-postlådan
dashboard-next-invoice = Nästa faktura
dashboard-next-invoice-estimate = Den { $date }: cirka { $gross } ({ $net } plus { $rate } % moms, { $vat })
dashboard-storage-link = Lägg till eller ta bort lagring
dashboard-cancel-link = Säg upp abonnemanget

## Lagringspaket
storage-title = Lagring
storage-current = Dina lagringspaket
storage-pack = Paket
storage-monthly = Per månad
storage-since = Sedan
storage-ends-on = Upphör den { $date }
storage-remove = Ta bort vid periodens slut
storage-remove-note = Paket som du tar bort är tillgängliga till slutet av den pågående perioden. Den pågående perioden återbetalas inte.
storage-add = Lägg till lagring
storage-add-this = Lägg till…
storage-confirm-title = Lägg till lagring
storage-confirm-text = { $name } är tillgänglig direkt. För resten av den pågående perioden ({ $date } till { $end }) betalar du en andel som beräknas per dag.
storage-prorated = Andel för { $date } till { $end }
storage-confirm-text-free = { $name } är tillgänglig direkt och gratis tills din gratismånad slutar den { $end }. Därefter faktureras det varje månad tillsammans med din brevlåda.
storage-free-share = Gratismånad, till { $end }
storage-vat = Moms { $rate } %
storage-total = Totalt på din nästa faktura
storage-proration-rule = Andelen är månadspriset gånger antalet återstående dagar (inklusive i dag) delat med antalet dagar i perioden, avrundat till närmaste öre.
storage-confirm = Lägg till och betala på nästa faktura
storage-back = Tillbaka till lagring
storage-added-title = Lagring tillagd
storage-added-text = { $name } är tillgänglig nu. { $amount } kommer med på din nästa faktura.
storage-removed-title = Lagringspaketet har tagits bort
storage-removed-text = Paketet är tillgängligt till den { $date }.
storage-switched-title = Lagringspaketet har ändrats
storage-switched-text = Ändringen gäller från den { $date }.

## Uppsägning
cancel-title = Säg upp abonnemanget
cancel-text = Ditt abonnemang upphör vid slutet av den pågående perioden, den { $date }. Fram till dess fungerar allt som vanligt, och du kan ångra dig när som helst innan dess.
cancel-confirm = Säg upp abonnemanget
cancel-keep = Behåll mitt abonnemang
cancel-done-title = Abonnemanget är uppsagt
cancel-done-text = Ditt abonnemang upphör den { $date }. Fram till dess fungerar allt som vanligt.

## Units
gigabytes = { $gb } GB

## Administration: katalog
backoffice-catalog = Katalog och priser
catalog-plan = Abonnemang
catalog-price = Månadspris
catalog-currency = Valuta
catalog-valid-from = Gäller från
catalog-add-price = Lägg till pris
catalog-add-price-rule = Ett nytt pris gäller från den första faktureringsperioden som börjar på eller efter dess datum. Priser ändras eller raderas aldrig, och utfärdade fakturor behåller sina.
catalog-price-added = Priset har lagts till.
catalog-price-invalid = Ange en valutakod, ett belopp som 1,20 och ett datum.

## Notices by email
email-cancel-subject = Ditt abonnemang upphör { $date }
email-cancel-action = Visa mitt konto
