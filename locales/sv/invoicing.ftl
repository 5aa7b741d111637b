## Fakturor
invoices-title = Fakturor
invoices-invoice = Faktura
invoices-credit-note = Kreditfaktura
invoices-none = Det finns inga fakturor än.
invoices-download-pdf = Ladda ner PDF
invoices-number = Nummer
invoices-date = Datum
invoices-due = Förfallodatum
invoices-customer = Kund
invoices-customer-number = Kundnummer
invoices-total = Totalt
invoices-period = Period
invoices-filter = Filtrera
invoices-back = Tillbaka till fakturorna
invoices-vat-id = Momsregistreringsnummer
invoices-service-period = Tjänsteperiod
invoices-reason = Anledning
invoices-description = Beskrivning
invoices-quantity = Antal
invoices-unit-price = À-pris
invoices-vat-rate = Moms
invoices-net = Belopp exkl. moms
invoices-credit-applied = Ditt tillgodohavande
invoices-amount-due = Att betala
invoices-pay-by-transfer = Överför beloppet att betala senast den { $date } till IBAN { $iban } (BIC { $bic }) och ange referensen { $reference }.
invoice-line = { $plan }, { $from } – { $until }
invoicing-bad-period = Det här är ingen faktureringsperiod. Använd formatet YYYY-MM, till exempel 2026-11.

## Kreditfakturor
credit-note-title = Utfärda en kreditfaktura
credit-note-amount = Belopp (inkl. moms)
credit-note-amount-hint = Lämna fältet tomt för att kreditera allt som ännu inte har krediterats.
credit-note-issue = Utfärda kreditfaktura
credit-note-issued = Kreditfaktura { $number } har utfärdats.
credit-note-no-reason = Ange en anledning till kreditfakturan.
credit-note-too-large = Beloppet är större än det som återstår att kreditera på den här fakturan.
credit-note-not-invoice = Endast fakturor kan krediteras.
