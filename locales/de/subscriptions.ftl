## Katalog: Tarifnamen
plan-mailbox-10gb = Postfach 10 GB
plan-mail-pack-10gb = Postfach +10 GB
plan-mail-pack-50gb = Postfach +50 GB
plan-mail-pack-100gb = Postfach +100 GB
plan-mail-pack-500gb = Postfach +500 GB
plan-storage-pack-10gb = Online-Speicher +10 GB
plan-storage-pack-50gb = Online-Speicher +50 GB
plan-storage-pack-100gb = Online-Speicher +100 GB
plan-storage-pack-500gb = Online-Speicher +500 GB
catalog-unknown-plan = Dieses Produkt existiert nicht.
catalog-no-price = Für dieses Produkt gibt es noch keinen Preis in Ihrer Währung.
catalog-price-not-in-future = Ein neuer Preis muss ab einem Datum in der Zukunft gelten.
catalog-duplicate-price = Für dieses Produkt, diese Währung und dieses Datum gibt es bereits einen Preis.

## Fehler beim Abonnement
subscription-exists = Sie haben bereits ein Abonnement.
subscription-none = Sie haben noch kein Abonnement.
subscription-ended = Ihr Abonnement ist beendet: Der Speicher kann nicht mehr geändert werden.
subscription-not-cancelled = Ihr Abonnement ist nicht gekündigt.
pack-already-ending = Dieses Paket endet bereits zum Ende des Zeitraums.
iban-invalid = Diese IBAN ist ungültig. Bitte überprüfen Sie sie oder lassen Sie das Feld leer.
trial-refused-title = Diesmal kein kostenloser Monat
trial-refused-email = Für diese E-Mail-Adresse wurde bereits ein kostenloser Monat genutzt.
trial-refused-payment = Dieses Bankkonto wurde bereits für einen kostenlosen Monat verwendet.
trial-refused-network = Aus Ihrem Netzwerk wurden heute zu viele kostenlose Monate gestartet. Bitte versuchen Sie es morgen erneut.
trial-refused-paid-offer = Sie können trotzdem sofort ein Abonnement abschließen: Das Postfach wird dann ab heute berechnet.
trial-refused-subscribe = Jetzt abonnieren

## MwSt.-Hinweise auf Rechnungen und in Preisvorschauen
vat-note-reverse-charge = Steuerschuldnerschaft des Leistungsempfängers (Reverse-Charge-Verfahren, Art. 196 der Richtlinie 2006/112/EG).
vat-note-outside-eu = Nicht im Inland steuerbare Leistung (Leistungsort außerhalb der EU).

## Übersicht
dashboard-start-title = Starten Sie Ihren kostenlosen Monat
dashboard-start-text = Ihr 10-GB-Postfach ist im ersten Monat kostenlos. Kündigen Sie vor dessen Ablauf, und Sie zahlen nichts.
dashboard-start-trial = Kostenlosen Monat starten
dashboard-trial-days-left = { $days ->
    [one] Ihr kostenloser Monat endet in einem Tag.
   *[other] Ihr kostenloser Monat endet in { $days } Tagen.
}
dashboard-cancelled = Ihr Abonnement endet am { $date }.
dashboard-reactivate = Mein Abonnement behalten
dashboard-mail-storage = Postfachspeicher
dashboard-online-storage = Online-Speicher
dashboard-base-price = Monatspreis des Postfachs
dashboard-next-invoice = Nächste Rechnung
dashboard-next-invoice-estimate = Am { $date }: etwa { $gross } ({ $net } zzgl. { $rate } % MwSt., { $vat })
dashboard-storage-link = Speicher hinzufügen oder entfernen
dashboard-cancel-link = Abonnement kündigen

## Speicherpakete
storage-title = Speicher
storage-current = Ihre Speicherpakete
storage-pack = Paket
storage-monthly = Pro Monat
storage-since = Seit
storage-ends-on = Endet am { $date }
storage-remove = Zum Ende des Zeitraums entfernen
storage-remove-note = Pakete, die Sie entfernen, bleiben bis zum Ende des laufenden Zeitraums verfügbar; der laufende Zeitraum wird nicht erstattet.
storage-add = Speicher hinzufügen
storage-add-this = Hinzufügen…
storage-confirm-title = Speicher hinzufügen
storage-confirm-text = { $name } steht sofort zur Verfügung. Für den Rest des laufenden Zeitraums ({ $date } bis { $end }) zahlen Sie einen tagesgenauen Anteil.
storage-prorated = Anteil für { $date } bis { $end }
storage-confirm-text-free = { $name } steht sofort zur Verfügung und ist bis zum Ende Ihres Gratismonats am { $end } kostenlos. Danach wird es monatlich mit Ihrem Postfach abgerechnet.
storage-free-share = Gratismonat, bis { $end }
storage-vat = MwSt. { $rate } %
storage-total = Gesamtbetrag auf Ihrer nächsten Rechnung
storage-proration-rule = Der Anteil ist der Monatspreis multipliziert mit den verbleibenden Tagen (einschließlich heute), geteilt durch die Anzahl der Tage des Zeitraums, auf den Cent gerundet.
storage-confirm = Hinzufügen und mit der nächsten Rechnung bezahlen
storage-back = Zurück zum Speicher
storage-added-title = Speicher hinzugefügt
storage-added-text = { $name } ist jetzt verfügbar. { $amount } erscheint auf Ihrer nächsten Rechnung.
storage-removed-title = Speicherpaket entfernt
storage-removed-text = Das Paket bleibt bis zum { $date } verfügbar.
storage-switched-title = Speicherpaket geändert
storage-switched-text = Die Änderung wird am { $date } wirksam.

## Kündigung
cancel-title = Abonnement kündigen
cancel-text = Ihr Abonnement endet zum Ende des laufenden Zeitraums am { $date }. Bis dahin funktioniert alles weiter wie bisher. Bis zu diesem Tag können Sie es sich noch anders überlegen.
cancel-confirm = Abonnement kündigen
cancel-keep = Mein Abonnement behalten
cancel-done-title = Abonnement gekündigt
cancel-done-text = Ihr Abonnement endet am { $date }. Bis dahin funktioniert alles weiter wie bisher.

## Units
gigabytes = { $gb } GB

## Backoffice: Katalog
backoffice-catalog = Katalog und Preise
catalog-plan = Tarif
catalog-price = Monatspreis
catalog-currency = Währung
catalog-valid-from = Gültig ab
catalog-add-price = Preis hinzufügen
catalog-add-price-rule = Ein neuer Preis gilt ab dem ersten Abrechnungszeitraum, der an oder nach seinem Datum beginnt. Preise werden nie geändert oder gelöscht, und ausgestellte Rechnungen behalten ihre.
catalog-price-added = Der Preis wurde hinzugefügt.
catalog-price-invalid = Bitte geben Sie einen Währungscode, einen Betrag wie 1,20 und ein Datum ein.

## Notices by email
email-cancel-subject = Ihr Abonnement endet am { $date }
email-cancel-action = Mein Konto anzeigen
