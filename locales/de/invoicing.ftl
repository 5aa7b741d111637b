## Rechnungen
invoices-title = Rechnungen
invoices-invoice = Rechnung
invoices-credit-note = Gutschrift
invoices-none = Es liegen noch keine Rechnungen vor.
invoices-download-pdf = PDF herunterladen
invoices-number = Nummer
invoices-date = Datum
invoices-due = Fällig am
invoices-customer = Kunde
invoices-customer-number = Kundennummer
invoices-total = Gesamtbetrag
invoices-period = Zeitraum
invoices-filter = Filtern
invoices-back = Zurück zu den Rechnungen
invoices-vat-id = USt-IdNr.
invoices-service-period = Leistungszeitraum
invoices-reason = Grund
invoices-description = Beschreibung
invoices-quantity = Menge
invoices-unit-price = Einzelpreis
invoices-vat-rate = MwSt.
invoices-net = Netto
invoices-credit-applied = Ihr Guthaben
invoices-amount-due = Zahlbetrag
invoices-pay-by-transfer = Bitte überweisen Sie den Zahlbetrag bis zum { $date } auf die IBAN { $iban } (BIC { $bic }) und geben Sie als Verwendungszweck { $reference } an.
invoice-line = { $plan }, { $from } – { $until }
invoicing-bad-period = Dies ist kein Abrechnungszeitraum. Bitte verwenden Sie das Format YYYY-MM, zum Beispiel 2026-11.

## Gutschriften
credit-note-title = Gutschrift ausstellen
credit-note-amount = Betrag (brutto)
credit-note-amount-hint = Lassen Sie das Feld leer, um den gesamten noch nicht gutgeschriebenen Betrag gutzuschreiben.
credit-note-issue = Gutschrift ausstellen
credit-note-issued = Die Gutschrift { $number } wurde ausgestellt.
credit-note-no-reason = Bitte geben Sie einen Grund für die Gutschrift an.
credit-note-too-large = Der Betrag ist höher als der Betrag, der auf dieser Rechnung noch gutgeschrieben werden kann.
credit-note-not-invoice = Gutschriften können nur zu Rechnungen ausgestellt werden.
