# Emails that confirm a change
email-free-month-subject = Din gratismånad har börjat
email-free-month-text = Din gratismånad pågår till och med { $date } och kostar ingenting. Därefter kostar e-postlådan { $price } i månaden, om du inte säger upp före dess.
email-pack-added-subject = Lagringspaket tillagt
email-pack-added-text = { $name } ingår i ditt abonnemang från { $date }, för { $price } i månaden.
email-pack-removed-subject = Lagringspaket borttaget
email-pack-removed-text = { $name } upphör den { $date } (inklusive) och faktureras inte därefter.
email-mandate-subject = Ditt SEPA-autogiromedgivande { $reference }
email-mandate-intro = Den { $date } undertecknade du detta SEPA-autogiromedgivande för ditt konto med IBAN som slutar på { $iban }:
email-mandate-text = { $text }
email-mandate-creditor = Betalningsmottagare: { $creditor } (borgenärs-id { $creditor_id }).
email-mandate-action = Visa mina betalsätt
email-paid-subject = Faktura { $number } är betald
email-paid-text = Tack! Faktura { $number } betalades i sin helhet ({ $amount }) den { $date }.
email-paid-method = Betalt med: { $method }
email-paid-action = Visa betalningskvittot
