## Facturen
invoices-title = Facturen
invoices-invoice = Factuur
invoices-credit-note = Creditnota
invoices-none = Er zijn nog geen facturen.
invoices-download-pdf = PDF downloaden
invoices-number = Nummer
invoices-date = Datum
invoices-due = Vervaldatum
invoices-customer = Klant
invoices-customer-number = Klantnummer
invoices-total = Totaal
invoices-period = Periode
invoices-filter = Filteren
invoices-back = Terug naar de facturen
invoices-vat-id = Btw-nummer
invoices-service-period = Dienstperiode
invoices-reason = Reden
invoices-description = Omschrijving
invoices-quantity = Aantal
invoices-unit-price = Prijs per eenheid
invoices-vat-rate = Btw
invoices-net = Bedrag excl. btw
invoices-credit-applied = Uw tegoed
invoices-amount-due = Te betalen
invoices-pay-by-transfer = Maak het te betalen bedrag uiterlijk { $date } over naar IBAN { $iban } (BIC { $bic }) onder vermelding van het betalingskenmerk { $reference }.
invoice-line = { $plan }, { $from } – { $until }
invoicing-bad-period = Dit is geen factuurperiode. Gebruik de notatie YYYY-MM, bijvoorbeeld 2026-11.

## Creditnota's
credit-note-title = Creditnota opmaken
credit-note-amount = Bedrag (incl. btw)
credit-note-amount-hint = Laat dit veld leeg om alles te crediteren wat nog niet is gecrediteerd.
credit-note-issue = Creditnota opmaken
credit-note-issued = Creditnota { $number } is opgemaakt.
credit-note-no-reason = Geef een reden op voor de creditnota.
credit-note-too-large = Het bedrag is hoger dan wat er op deze factuur nog gecrediteerd kan worden.
credit-note-not-invoice = Alleen facturen kunnen worden gecrediteerd.
