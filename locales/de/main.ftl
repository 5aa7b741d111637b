## Kontor: Meldungen, die auf jeder Seite verwendet werden. IDs in kebab-case halten, nach Bereichen gruppiert.

language-name = Deutsch
product-name = Kontor
product-tagline = Ihr Konto für E-Mail und Speicher

## Navigation und Layout
nav-home = Startseite
nav-status = Dienststatus
nav-sign-in = Anmelden
nav-language = Sprache
nav-skip = Zum Inhalt springen
footer-company = { $company } · E-Mail- und Speicher-Hosting in Europa

## Startseite
home-title = E-Mail und Speicher, auf die Sie sich verlassen können
home-lead = Ein 10-GB-Postfach für { $price } im Monat. Der erste Monat ist kostenlos.
home-feature-trial-title = Erster Monat kostenlos
home-feature-trial-text = Testen Sie einen Monat lang alle Funktionen. Kündigen Sie jederzeit vor Ablauf, und Sie zahlen nichts.
home-feature-storage-title = Speicher, der mit Ihnen wächst
home-feature-storage-text = Erweitern Sie Ihren Speicher jederzeit um 10, 50, 100 oder 500 GB – tagesgenau abgerechnet.
home-feature-invoices-title = Übersichtliche Rechnungen
home-feature-invoices-text = Monatliche PDF-Rechnungen in Ihrer Sprache, zahlbar per Überweisung, Lastschrift oder PayPal.
home-cta = Kostenlosen Probemonat starten

## Systemzustand und Fehler
health-ok = Alle Systeme betriebsbereit
health-database-down = Die Datenbank ist nicht erreichbar
error-page-title = Etwas ist schiefgelaufen
error-not-found = Diese Seite existiert nicht.
error-internal = Ein unerwarteter Fehler ist aufgetreten. Es wurde nichts geändert; bitte versuchen Sie es in einem Moment erneut.
error-back-home = Zurück zur Startseite

## Betragseingabe und Fehler der Buchhaltung
money-currency-mismatch = Beträge in unterschiedlichen Währungen können nicht miteinander verrechnet werden.
money-overflow = Der Betrag ist zu hoch.
money-not-rounded = Der Betrag hat mehr Nachkommastellen, als die Währung zulässt.
money-invalid-weights = Der Betrag kann nicht in diesem Verhältnis aufgeteilt werden.
money-no-parts = Der Betrag muss in mindestens einen Teil aufgeteilt werden.
money-parse-empty = Bitte geben Sie einen Betrag ein.
money-parse-invalid = Bitte geben Sie den Betrag nur mit Ziffern und höchstens einem Dezimaltrennzeichen ein, zum Beispiel 12,50.
money-parse-too-many-decimals = Bitte geben Sie höchstens { $allowed } Nachkommastellen ein.
money-parse-too-large = Der Betrag ist zu hoch.
ledger-invalid-entry = Die Buchung ist unvollständig.
ledger-too-few-postings = Eine Buchung benötigt mindestens zwei Buchungszeilen.
ledger-zero-posting = Eine Buchung darf keine Buchungszeile mit dem Betrag null enthalten.
ledger-not-rounded = Ein Buchungsbetrag hat mehr Nachkommastellen, als die Währung zulässt.
ledger-unbalanced = Die Buchung ist nicht ausgeglichen: Soll und Haben stimmen nicht überein.
ledger-idempotency-conflict = Diese Buchung wurde bereits mit abweichendem Inhalt erfasst.
ledger-currency-mismatch = Die Währung der Buchung weicht von der Währung des Kontos ab.
ledger-unknown-account = Das Konto existiert nicht.
ledger-account-conflict = Ein Konto mit dieser Kennung existiert bereits mit anderen Einstellungen.
ledger-corrupt = Die Buchführung enthält Daten, die nicht gelesen werden können. Die Finanzabteilung wurde benachrichtigt.
ledger-refused = Die Datenbank hat die Buchung abgelehnt, weil sie die Buchführung inkonsistent machen würde.

## Beträge: wo das Währungssymbol steht, und das Symbol jeder Währung in dieser Sprache
money-format = { $amount }{"\u00A0"}{ $symbol }
currency-EUR = €
currency-CHF = CHF
currency-GBP = £
currency-SEK = SEK
currency-NOK = NOK
currency-DKK = DKK
text-control-character = Bitte entfernen Sie Steuerzeichen (etwa Escape- oder Wagenrücklaufzeichen) aus dem Text.
text-too-long = Der Text ist zu lang.

# Forms that cannot be read (web::form) and forms sent again (web::submission).
form-unreadable = Das Formular konnte nicht gelesen werden. Bitte gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
form-control-characters = Das Formular enthält unsichtbare Steuerzeichen. Bitte geben Sie den Text ohne sie erneut ein.
form-too-large = Das Formular ist zu groß. Bitte kürzen Sie den Text und versuchen Sie es erneut.
form-expired = Ihr Formular ist abgelaufen. Bitte gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
submission-running-title = Wird noch bearbeitet
submission-running-text = Dieses Formular wurde bereits gesendet und wird noch bearbeitet. Laden Sie die Seite gleich neu, um das Ergebnis zu sehen; nichts wird doppelt ausgeführt.
