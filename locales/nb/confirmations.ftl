# Emails that confirm a change
email-free-month-subject = Den gratis måneden din har startet
email-free-month-text = Den gratis måneden varer til og med { $date } og koster ingenting. Deretter koster e-postkassen { $price } i måneden, med mindre du sier opp før.
email-pack-added-subject = Lagringspakke lagt til
email-pack-added-text = { $name } er en del av abonnementet ditt fra { $date }, for { $price } i måneden.
email-pack-removed-subject = Lagringspakke fjernet
email-pack-removed-text = { $name } avsluttes { $date } (inkludert) og faktureres ikke etter det.
email-mandate-subject = Din SEPA-avtale om direktebelastning { $reference }
email-mandate-intro = { $date } signerte du denne SEPA-avtalen for kontoen din med IBAN som slutter på { $iban }:
email-mandate-text = { $text }
email-mandate-creditor = Kreditor: { $creditor } (kreditor-ID { $creditor_id }).
email-mandate-action = Vis betalingsmåtene mine
email-paid-subject = Faktura { $number } er betalt
email-paid-text = Takk! Faktura { $number } ble betalt i sin helhet ({ $amount }) den { $date }.
email-paid-method = Betalt med: { $method }
email-paid-action = Vis betalingskvitteringen
