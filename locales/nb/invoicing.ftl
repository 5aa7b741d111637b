## Fakturaer
invoices-title = Fakturaer
invoices-invoice = Faktura
invoices-credit-note = Kreditnota
invoices-none = Det finnes ingen fakturaer ennå.
invoices-download-pdf = Last ned PDF
invoices-number = Nummer
invoices-date = Dato
invoices-due = Forfallsdato
invoices-customer = Kunde
invoices-customer-number = Kundenummer
invoices-total = Totalt
invoices-period = Periode
invoices-filter = Filtrer
invoices-back = Tilbake til fakturaene
invoices-vat-id = MVA-nummer
invoices-service-period = Tjenesteperiode
invoices-reason = Årsak
invoices-description = Beskrivelse
invoices-quantity = Antall
invoices-unit-price = Enhetspris
invoices-vat-rate = Mva
invoices-net = Beløp eks. mva
invoices-credit-applied = Ditt tilgodehavende
invoices-amount-due = Å betale
invoices-pay-by-transfer = Overfør beløpet som skal betales, senest den { $date } til IBAN { $iban } (BIC { $bic }), og oppgi referansen { $reference }.
invoice-line = { $plan }, { $from } – { $until }
invoicing-bad-period = Dette er ikke en faktureringsperiode. Bruk formatet YYYY-MM, for eksempel 2026-11.

## Kreditnotaer
credit-note-title = Utsted en kreditnota
credit-note-amount = Beløp (inkl. mva)
credit-note-amount-hint = La feltet stå tomt for å kreditere alt som ennå ikke er kreditert.
credit-note-issue = Utsted kreditnota
credit-note-issued = Kreditnota { $number } er utstedt.
credit-note-no-reason = Oppgi en årsak til kreditnotaen.
credit-note-too-large = Beløpet er større enn det som gjenstår å kreditere på denne fakturaen.
credit-note-not-invoice = Bare fakturaer kan krediteres.
