## Fakturaer
invoices-title = Fakturaer
invoices-invoice = Faktura
invoices-credit-note = Kreditnota
invoices-none = Der er endnu ingen fakturaer.
invoices-download-pdf = Download PDF
invoices-number = Nummer
invoices-date = Dato
invoices-due = Forfaldsdato
invoices-customer = Kunde
invoices-customer-number = Kundenummer
invoices-total = I alt
invoices-period = Periode
invoices-filter = Filtrer
invoices-back = Tilbage til fakturaerne
invoices-vat-id = Momsnummer
invoices-service-period = Leveringsperiode
invoices-reason = Årsag
invoices-description = Beskrivelse
invoices-quantity = Antal
invoices-unit-price = Enhedspris
invoices-vat-rate = Moms
invoices-net = Beløb ekskl. moms
invoices-credit-applied = Dit tilgodehavende
invoices-amount-due = At betale
invoices-pay-by-transfer = Overfør beløbet, der skal betales, senest den { $date } til IBAN { $iban } (BIC { $bic }), og angiv referencen { $reference }.
invoice-line = { $plan }, { $from } – { $until }
invoicing-bad-period = Dette er ikke en faktureringsperiode. Brug formatet YYYY-MM, f.eks. 2026-11.

## Kreditnotaer
credit-note-title = Udsted en kreditnota
credit-note-amount = Beløb (inkl. moms)
credit-note-amount-hint = Lad feltet stå tomt for at kreditere alt, hvad der endnu ikke er krediteret.
credit-note-issue = Udsted kreditnota
credit-note-issued = Kreditnota { $number } er udstedt.
credit-note-no-reason = Angiv en årsag til kreditnotaen.
credit-note-too-large = Beløbet er større end det, der stadig kan krediteres på denne faktura.
credit-note-not-invoice = Kun fakturaer kan krediteres.
