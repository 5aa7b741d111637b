# Emails that confirm a change
email-free-month-subject = Din gratis måned er startet
email-free-month-text = Din gratis måned løber til og med { $date } og koster intet. Derefter koster mailboksen { $price } om måneden, medmindre du opsiger før.
email-pack-added-subject = Lagerpakke tilføjet
email-pack-added-text = { $name } er en del af dit abonnement fra { $date } for { $price } om måneden.
email-pack-removed-subject = Lagerpakke fjernet
email-pack-removed-text = { $name } slutter den { $date } (inklusive) og faktureres ikke derefter.
email-mandate-subject = Din SEPA-betalingsaftale { $reference }
email-mandate-intro = Den { $date } gav du denne SEPA-betalingsaftale for din konto med IBAN, der slutter på { $iban }:
email-mandate-text = { $text }
email-mandate-creditor = Kreditor: { $creditor } (kreditor-id { $creditor_id }).
email-mandate-action = Vis mine betalingsmetoder
email-paid-subject = Faktura { $number } er betalt
email-paid-text = Tak! Faktura { $number } blev betalt fuldt ud ({ $amount }) den { $date }.
email-paid-method = Betalt med: { $method }
email-paid-action = Vis betalingskvitteringen
