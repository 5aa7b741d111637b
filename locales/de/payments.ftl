## Zahlungen: Zahlungseingänge, Kontoauszüge, Klärungsliste

invoices-state = Status
invoices-open-amount = Noch offen: { $amount }
invoice-state-open = Offen
invoice-state-overdue = Überfällig
invoice-state-partly-paid = Teilweise bezahlt
invoice-state-paid = Bezahlt
invoice-state-credited = Gutgeschrieben

payment-unknown-invoice = Diese Rechnung existiert nicht.
payment-not-the-customers = Die Rechnung gehört zu einem anderen Kunden.
payment-currency-mismatch = Die Zahlung lautet auf eine andere Währung als die Rechnung.
payment-bad-amount = Dieser Betrag kann nicht gezahlt werden: Er muss positiv sein und auf volle Cent lauten.
payment-key-conflict = Diese Zahlung wurde bereits mit abweichenden Angaben erfasst.
payment-unknown-receipt = Diese Zahlung existiert nicht.
payment-already-reversed = Diese Zahlung wurde bereits storniert.
payment-not-reversible = Diese Buchung ist selbst eine Stornobuchung und kann nicht storniert werden.

camt-malformed = die Datei ist kein wohlgeformtes XML
camt-truncated = die Datei endet mitten im Dokument
camt-namespace = dies ist keine camt.053- oder camt.054-Nachricht in einer unterstützten Version (001.02, 001.04, 001.08)
camt-structure = ein Element fehlt oder steht an der falschen Stelle
camt-amount = ein Betrag ist keine Zahl
camt-amount-negative = ein Betrag ist negativ
camt-amount-decimals = ein Betrag hat mehr Nachkommastellen, als seine Währung zulässt
camt-currency = ein Betrag lautet auf eine unbekannte Währung
camt-date = ein Datum ist ungültig
camt-code = ein Code ist im Standard nicht vorgesehen
camt-too-deep = die Elemente sind zu tief verschachtelt
camt-too-long = ein Text, ein Elementname oder eine Liste ist länger als zulässig
camt-io = die Datei konnte nicht gelesen werden

bank-title = Kontoauszüge
bank-import-heading = Kontoauszug importieren
bank-import-intro = Laden Sie einen camt.053-Kontoauszug oder eine camt.054-Buchungsbenachrichtigung Ihrer Bank hoch. Eine Datei wird entweder vollständig oder gar nicht gebucht; bereits importierte Umsätze werden erkannt und nicht doppelt gebucht.
bank-import-file = Kontoauszugsdatei (XML)
bank-import-button = Importieren
bank-import-refused = Die Datei wurde abgelehnt, es wurde nichts gebucht. Zeile { $line }: { $reason }.
bank-import-summary = Gelesene Umsätze: { $read }, davon neu: { $new } (bezahlt: { $paid }, teilweise bezahlt: { $partly }, überzahlt: { $overpaid } – der Mehrbetrag wird dem Kundenguthaben gutgeschrieben, in der Klärungsliste: { $unmatched }). Bereits früher importiert: { $already }, durch Rückbuchung oder Rücklastschrift stornierte Zahlungen: { $returned }, nicht gebucht: { $ignored }.
bank-upload-missing = Bitte wählen Sie eine Kontoauszugsdatei für den Import aus.
bank-upload-too-large = Die Datei ist für den Upload im Browser zu groß; importieren Sie sie mit „kontor bank import“.
bank-unreadable = Der Kontoauszug kann nicht gelesen werden.
bank-queue-heading = Klärungsliste
bank-queue-empty = Nichts zu klären: Alle Zahlungseingänge sind zugeordnet.
bank-date = Buchungstag
bank-amount = Betrag
bank-payer = Auftraggeber
bank-text = Verwendungszweck
bank-suggestions = Mögliche Kunden
bank-actions = Zuordnung
bank-suggestion-name = gleicher Name
bank-suggestion-iban = frühere Zahlung von dieser IBAN
bank-no-suggestion = Kein Vorschlag
bank-assign-this = Vorschlag übernehmen
bank-to-invoices = Rechnungsnummern
bank-to-credit = Als Kundenguthaben (Kundennummer)
bank-assign = Zuordnen
bank-refund = Zur Rücküberweisung vormerken
bank-marked-refund = Zur Rücküberweisung an den Auftraggeber vorgemerkt.
bank-undo = Rückgängig machen
bank-assigned = Der Zahlungseingang wurde zugeordnet und gebucht.
bank-refund-marked = Der Zahlungseingang wurde zur Rücküberweisung vorgemerkt.
bank-undone = Rückgängig gemacht: Der Zahlungseingang steht wieder in der Klärungsliste.
bank-unknown-transaction = Dieser Bankumsatz existiert nicht.
bank-not-in-queue = Dieser Zahlungseingang steht nicht mehr in der Klärungsliste.
bank-nothing-to-undo = Für diesen Zahlungseingang gibt es nichts rückgängig zu machen.
bank-unknown-invoice = Es gibt keine Rechnung mit dieser Nummer.
bank-unknown-customer = Es gibt keinen Kunden mit dieser Nummer.
bank-nothing-to-assign = Bitte geben Sie mindestens eine Rechnungsnummer oder einen Kunden an.
bank-several-customers = Die Rechnungen gehören zu verschiedenen Kunden; ordnen Sie bitte jeweils nur Rechnungen eines Kunden zu.
bank-no-account = der Auszug nennt kein Konto (Acct/Id/IBAN)
bank-foreign-account = der Auszug gehört zum Konto { $iban }, das keines unserer Konten ist
bank-foreign-currency = eine Buchung in { $currency } auf dem Konto { $iban }, das in { $account_currency } geführt wird

## Zahlungsweg (eine Entscheidung für Rechnungsseite, PDF und E-Mails)
pay-transfer = Bitte überweisen Sie { $amount } bis zum { $date } an { $holder }, IBAN { $iban }, BIC { $bic }, mit dem Verwendungszweck { $reference }.
pay-transfer-no-bic = Bitte überweisen Sie { $amount } bis zum { $date } an { $holder }, IBAN { $iban }, mit dem Verwendungszweck { $reference }.
pay-qr-bill-attached = Bitte bezahlen Sie { $amount } bis zum { $date } mit dem QR-Zahlteil der beigefügten Rechnung oder überweisen Sie den Betrag an { $holder }, IBAN { $iban }, mit der Referenz { $reference }.
pay-qr-bill-page = Sie können auch mit dem QR-Zahlteil am Ende der Rechnung (PDF) bezahlen.
# A domestic transfer in Sweden, Norway or Denmark, after the IBAN sentence.
pay-domestic-bankgiro = Von einem schwedischen Konto: Bankgiro { $account }, OCR-Nummer { $reference }.
pay-domestic-kid = Von einem norwegischen Konto: Kontonummer { $account }, KID { $reference }.
pay-domestic-fik = Von einem dänischen Konto: zahlen Sie mit dem Zahlschein (FI-kort) { $line }.
