## PDF documents
pdf-invoice-title = Rechnung { $number }
pdf-credit-note-title = Gutschrift { $number }
pdf-continued = { $title } (Fortsetzung)
pdf-date = Datum
pdf-due-date = Fällig am
pdf-our-vat-id = Unsere USt-IdNr.
pdf-your-vat-id = Ihre USt-IdNr.
pdf-position = Pos.
pdf-amount = Betrag
pdf-vat-on = USt. { $rate } % auf { $net }
pdf-total = Gesamtbetrag
pdf-page = Seite { $page } von { $pages }
pdf-corrects = Diese Gutschrift berichtigt die Rechnung { $number }.
pdf-credit-kept = Der Betrag wird Ihrem Kundenkonto gutgeschrieben und mit Ihren nächsten Rechnungen verrechnet.
pdf-payment = Zahlung
pdf-pay-with-qr-bill = Bitte bezahlen Sie den Zahlbetrag bis zum { $date } mit dem QR-Zahlteil unten (Referenz { $reference }).
pdf-scan-to-pay = Scannen Sie den Code mit Ihrer Banking-App, um zu bezahlen.
pdf-nothing-due = Nichts zu zahlen: Ihr Guthaben deckt diese Rechnung.
pdf-register = Handelsregister
pdf-bank = Bank
pdf-thanks = Vielen Dank für Ihr Vertrauen.

## Swiss QR-bill payment part (the standard allows its texts in German, French, Italian and English only)
qrbill-receipt = Empfangsschein
qrbill-payment-part = Zahlteil
qrbill-account = Konto / Zahlbar an
qrbill-reference = Referenz
qrbill-additional-information = Zusätzliche Informationen
qrbill-payable-by = Zahlbar durch
qrbill-currency = Währung
qrbill-amount = Betrag
qrbill-acceptance-point = Annahmestelle
qrbill-separate = Vor der Einzahlung abzutrennen

## Invoice emails
email-invoice-subject = Ihre Rechnung { $number } von { $seller }
email-invoice-intro = Anbei erhalten Sie Ihre Rechnung { $number } vom { $date } über { $amount }.
email-invoice-how-to-pay = { $instructions }
email-invoice-covered = Ihr Guthaben deckt diese Rechnung: Sie müssen nichts bezahlen.
email-credit-note-subject = Ihre Gutschrift { $number } von { $seller }
email-credit-note-intro = Anbei erhalten Sie Ihre Gutschrift { $number } vom { $date } über { $amount }.
email-invoice-action = Meine Rechnungen anzeigen
