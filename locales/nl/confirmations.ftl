# Emails that confirm a change
email-free-month-subject = Uw gratis maand is begonnen
email-free-month-text = Uw gratis maand loopt tot en met { $date } en kost niets. Daarna kost de mailbox { $price } per maand, tenzij u eerder opzegt.
email-pack-added-subject = Opslagpakket toegevoegd
email-pack-added-text = { $name } hoort vanaf { $date } bij uw abonnement, voor { $price } per maand.
email-pack-removed-subject = Opslagpakket verwijderd
email-pack-removed-text = { $name } eindigt op { $date } (inclusief) en wordt daarna niet meer gefactureerd.
email-mandate-subject = Uw SEPA-incassomachtiging { $reference }
email-mandate-intro = Op { $date } hebt u deze SEPA-incassomachtiging afgegeven voor uw rekening met IBAN eindigend op { $iban }:
email-mandate-text = { $text }
email-mandate-creditor = Incassant: { $creditor } (incassant-ID { $creditor_id }).
email-mandate-action = Mijn betaalmethoden tonen
email-paid-subject = Factuur { $number } is betaald
email-paid-text = Hartelijk dank! Factuur { $number } is op { $date } volledig betaald ({ $amount }).
email-paid-method = Betaald via: { $method }
email-paid-action = Betalingsbewijs bekijken
