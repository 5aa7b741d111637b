# Emails that confirm a change
email-free-month-subject = Ihr kostenloser Monat hat begonnen
email-free-month-text = Ihr kostenloser Monat läuft bis einschließlich { $date } und kostet nichts. Danach kostet das Postfach { $price } im Monat, sofern Sie nicht vorher kündigen.
email-pack-added-subject = Speicherpaket hinzugefügt
email-pack-added-text = { $name } gehört ab { $date } zu Ihrem Abonnement, für { $price } im Monat.
email-pack-removed-subject = Speicherpaket entfernt
email-pack-removed-text = { $name } endet mit dem { $date } und wird danach nicht mehr berechnet.
email-mandate-subject = Ihr SEPA-Lastschriftmandat { $reference }
email-mandate-intro = Am { $date } haben Sie dieses SEPA-Lastschriftmandat für Ihr Konto mit der IBAN-Endung { $iban } erteilt:
email-mandate-text = { $text }
email-mandate-creditor = Zahlungsempfänger: { $creditor } (Gläubiger-Identifikationsnummer { $creditor_id }).
email-mandate-action = Meine Zahlungsarten anzeigen
email-paid-subject = Rechnung { $number } ist bezahlt
email-paid-text = Vielen Dank! Rechnung { $number } ist am { $date } vollständig bezahlt worden ({ $amount }).
email-paid-method = Bezahlt per: { $method }
email-paid-action = Zahlungsbestätigung anzeigen
