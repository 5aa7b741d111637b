## Factures
invoices-title = Factures
invoices-invoice = Facture
invoices-credit-note = Avoir
invoices-none = Il n'y a pas encore de facture.
invoices-download-pdf = Télécharger le PDF
invoices-number = Numéro
invoices-date = Date
invoices-due = Échéance
invoices-customer = Client
invoices-customer-number = Numéro client
invoices-total = Total TTC
invoices-period = Période
invoices-filter = Filtrer
invoices-back = Retour aux factures
invoices-vat-id = Numéro de TVA
invoices-service-period = Période de prestation
invoices-reason = Motif
invoices-description = Désignation
invoices-quantity = Quantité
invoices-unit-price = Prix unitaire HT
invoices-vat-rate = TVA
invoices-net = Montant HT
invoices-credit-applied = Votre crédit
invoices-amount-due = Montant à payer
invoices-pay-by-transfer = Veuillez virer le montant à payer au plus tard le { $date } sur l'IBAN { $iban } (BIC { $bic }), en indiquant la référence { $reference }.
invoice-line = { $plan }, { $from } – { $until }
invoicing-bad-period = Ceci n'est pas une période de facturation. Veuillez utiliser le format YYYY-MM, par exemple 2026-11.

## Avoirs
credit-note-title = Émettre un avoir
credit-note-amount = Montant TTC
credit-note-amount-hint = Laissez ce champ vide pour créditer tout ce qui n'a pas encore été crédité.
credit-note-issue = Émettre l'avoir
credit-note-issued = L'avoir { $number } a été émis.
credit-note-no-reason = Veuillez indiquer le motif de l'avoir.
credit-note-too-large = Le montant dépasse ce qui reste à créditer sur cette facture.
credit-note-not-invoice = Seules les factures peuvent faire l'objet d'un avoir.
