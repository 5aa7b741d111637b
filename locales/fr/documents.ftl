## PDF documents
pdf-invoice-title = Facture { $number }
pdf-credit-note-title = Avoir { $number }
pdf-continued = { $title } (suite)
pdf-date = Date
pdf-due-date = Échéance
pdf-our-vat-id = Notre n° de TVA
pdf-your-vat-id = Votre n° de TVA
pdf-position = N°
pdf-amount = Montant
pdf-vat-on = TVA { $rate } % sur { $net }
pdf-total = Total
pdf-page = Page { $page } sur { $pages }
pdf-corrects = Cet avoir rectifie la facture { $number }.
pdf-credit-kept = Le montant est crédité sur votre compte client et imputé sur vos prochaines factures.
pdf-payment = Paiement
pdf-pay-with-qr-bill = Merci de régler le montant dû avant le { $date } avec la section paiement QR ci-dessous (référence { $reference }).
pdf-scan-to-pay = Scannez le code avec votre application bancaire pour payer.
pdf-nothing-due = Rien à payer : votre avoir couvre cette facture.
pdf-register = Registre du commerce
pdf-bank = Banque
pdf-thanks = Merci de votre confiance.

## Swiss QR-bill payment part (the standard allows its texts in German, French, Italian and English only)
qrbill-receipt = Récépissé
qrbill-payment-part = Section paiement
qrbill-account = Compte / Payable à
qrbill-reference = Référence
qrbill-additional-information = Informations supplémentaires
qrbill-payable-by = Payable par
qrbill-currency = Monnaie
qrbill-amount = Montant
qrbill-acceptance-point = Point de dépôt
qrbill-separate = A détacher avant le versement

## Invoice emails
email-invoice-subject = Votre facture { $number } de { $seller }
email-invoice-intro = Veuillez trouver ci-joint votre facture { $number } du { $date } d’un montant de { $amount }.
email-invoice-how-to-pay = { $instructions }
email-invoice-covered = Votre avoir couvre cette facture : vous n’avez rien à payer.
email-credit-note-subject = Votre avoir { $number } de { $seller }
email-credit-note-intro = Veuillez trouver ci-joint votre avoir { $number } du { $date } d’un montant de { $amount }.
email-invoice-action = Voir mes factures
