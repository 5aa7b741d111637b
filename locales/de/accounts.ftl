## Konten: Registrierung, Anmeldung, Einstellungen, Sicherheit. IDs in kebab-case halten.

nav-sign-up = Registrieren
nav-account = Mein Konto
nav-sign-out = Abmelden
nav-backoffice = Backoffice

## Formularfehler
field-required = Bitte füllen Sie dieses Feld aus.
field-invalid = Bitte überprüfen Sie dieses Feld.
field-unprintable = Das enthält Zeichen, die unsere Rechnungen nicht drucken können. Bitte verwenden Sie lateinische, griechische oder kyrillische Buchstaben.
email-invalid = Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel anna@example.com.
country-unknown = Bitte wählen Sie Ihr Land aus der Liste aus.
vat-id-empty = Bitte geben Sie Ihre USt-IdNr. ein oder lassen Sie das Feld leer.
vat-id-wrong-country = Diese USt-IdNr. gehört zu einem anderen Land als dem, das Sie ausgewählt haben.
vat-id-bad-format = Diese USt-IdNr. hat nicht das in Ihrem Land verwendete Format.
vat-id-bad-check-digit = Diese USt-IdNr. enthält einen Tippfehler (die Prüfziffer stimmt nicht).
password-too-short = Bitte verwenden Sie mindestens { $min } Zeichen.
password-too-long = Bitte verwenden Sie höchstens { $max } Zeichen.
password-too-common = Dieses Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.
password-contains-personal-data = Bitte verwenden Sie in Ihrem Passwort weder Ihren Namen noch Ihre E-Mail-Adresse.
password-blank = Bitte wählen Sie ein Passwort, das nicht nur aus Leerzeichen besteht.
account-invalid-link = Dieser Link ist ungültig, wurde bereits verwendet oder ist abgelaufen.
account-wrong-password = Das Passwort ist nicht korrekt.
account-not-verified = Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse.
csrf-failed = Ihr Formular ist abgelaufen. Bitte gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
rate-limited-title = Zu viele Versuche
rate-limited = Zu viele Versuche. Bitte warten Sie { $seconds } Sekunden und versuchen Sie es dann erneut.
totp-not-enrolled = Für dieses Konto ist keine Zwei-Faktor-Authentifizierung eingerichtet.
totp-malformed = Bitte geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode ein.
totp-wrong-code = Der Code ist nicht korrekt. Bitte versuchen Sie es mit einem neuen Code erneut.
totp-replayed = Dieser Code wurde bereits verwendet. Bitte warten Sie auf den nächsten Code.

## Registrierung
signup-title = Erstellen Sie Ihr Konto
signup-lead = Ihr erster Monat ist kostenlos. Sie können jederzeit vor seinem Ablauf kündigen.
signup-email = E-Mail-Adresse
signup-password = Passwort
signup-password-hint = Mindestens { $min } Zeichen. Ein langer Satz ist leicht zu merken und schwer zu erraten.
signup-name = Vollständiger Name
signup-company = Firma (optional)
signup-vat-id = USt-IdNr. (optional, für Unternehmen)
signup-street = Straße und Hausnummer
signup-postal-code = Postleitzahl
signup-city = Ort
signup-country = Land
signup-language = Sprache für E-Mails und Rechnungen
signup-submit = Konto erstellen
signup-have-account = Bereits Kunde? Anmelden
signup-done-title = Bitte prüfen Sie Ihren Posteingang
signup-done-text = Wir haben einen Bestätigungslink an { $email } gesendet. Klicken Sie darauf, um Ihre Adresse zu bestätigen; danach können Sie Ihren kostenlosen Monat starten.

## E-Mail-Bestätigung
verify-done-title = E-Mail-Adresse bestätigt
verify-done-text = Vielen Dank! Ihre E-Mail-Adresse ist bestätigt.
verify-pending = Bitte bestätigen Sie Ihre E-Mail-Adresse: Wir haben Ihnen einen Link gesendet. Bis dahin können Sie keinen Probemonat starten und nichts kaufen.
verify-resend = Link erneut senden
verify-resent = Wir haben Ihnen einen neuen Bestätigungslink gesendet.

## Anmeldung
login-title = Anmelden
login-email = E-Mail-Adresse
login-password = Passwort
login-submit = Anmelden
login-failed = E-Mail-Adresse oder Passwort ist nicht korrekt.
login-forgot = Passwort vergessen?
login-no-account = Neu hier? Konto erstellen
logout-done = Sie wurden abgemeldet.

## Mein Konto
account-title = Mein Konto
account-welcome = Willkommen, { $name }!
account-email = E-Mail-Adresse
account-verified = Bestätigt
account-settings = Einstellungen
account-sessions = Angemeldete Geräte
account-data = Meine Daten

## Einstellungen
settings-title = Einstellungen
settings-saved = Ihre Änderungen wurden gespeichert.
settings-save = Änderungen speichern
settings-country-fixed = Ihr Land bestimmt Ihre Währung und kann hier nicht geändert werden. Wenn Sie umgezogen sind, wenden Sie sich bitte an den Support.
settings-vat-valid = Das MwSt-Informationsaustauschsystem der EU (VIES) hat { $vat_id } am { $date } als gültig bestätigt.
settings-vat-invalid = Laut dem MwSt-Informationsaustauschsystem der EU (VIES) ist { $vat_id } nicht gültig (geprüft am { $date }). Solange keine gültige USt-IdNr. hinterlegt ist, enthalten Ihre Rechnungen Umsatzsteuer wie die von Privatkunden. Bitte prüfen und korrigieren Sie die Nummer.
settings-vat-pending = { $vat_id } konnte noch nicht beim MwSt-Informationsaustauschsystem der EU (VIES) geprüft werden; wir versuchen es erneut. Bis zur Bestätigung enthalten Ihre Rechnungen Umsatzsteuer wie die von Privatkunden.
settings-password-title = Passwort ändern
settings-password-current = Aktuelles Passwort
settings-password-new = Neues Passwort
settings-password-change = Passwort ändern
settings-password-changed = Ihr Passwort wurde geändert. Andere Geräte wurden abgemeldet.
settings-data-title = Ihre Daten
settings-data-text = Laden Sie alle Daten, die wir über Sie speichern, als JSON-Datei herunter.
settings-data-download = Meine Daten herunterladen
settings-close-title = Konto schließen
settings-close-text = Wenn Sie Ihr Konto schließen, werden Sie überall abgemeldet, und Ihre Dienste enden zum Ende des laufenden Zeitraums. Wir bewahren Ihre Rechnungen so lange auf, wie es gesetzlich vorgeschrieben ist, und anonymisieren sie danach.
settings-close-confirm = Geben Sie zur Bestätigung Ihr Passwort ein
settings-close-submit = Mein Konto schließen
account-closed-title = Ihr Konto ist geschlossen
account-closed-text = Vielen Dank, dass Sie Kunde bei uns waren. Ihre Rechnungen bewahren wir so lange auf, wie es gesetzlich vorgeschrieben ist.

## Sitzungen
sessions-title = Angemeldete Geräte
sessions-current = Dieses Gerät
sessions-started = Angemeldet am
sessions-last-seen = Zuletzt aktiv
sessions-ip = IP-Adresse
sessions-device = Browser
sessions-end = Abmelden
sessions-end-all = Überall abmelden
sessions-ended = Das Gerät wurde abgemeldet.

## Passwort zurücksetzen
forgot-title = Passwort vergessen?
forgot-text = Geben Sie Ihre E-Mail-Adresse ein. Wir senden Ihnen dann einen Link, mit dem Sie ein neues Passwort festlegen können.
forgot-submit = Link senden
forgot-sent = Falls zu dieser Adresse ein Konto existiert, haben wir einen Link dorthin gesendet. Er ist eine Stunde lang gültig.
reset-title = Neues Passwort festlegen
reset-submit = Neues Passwort speichern
reset-done = Ihr neues Passwort wurde gespeichert. Bitte melden Sie sich an.
set-password-title = Passwort festlegen

## Zwei-Faktor-Authentifizierung (Mitarbeitende)
twofa-enrol-title = Zwei-Faktor-Authentifizierung einrichten
twofa-enrol-text = Ihre Rolle erfordert einen zweiten Faktor. Fügen Sie dieses Konto mit dem unten stehenden Schlüssel einer Authenticator-App (zum Beispiel FreeOTP oder Aegis) hinzu und geben Sie dann den 6-stelligen Code ein, den die App anzeigt.
twofa-secret-label = Schlüssel
twofa-uri-label = Link für Authenticator-Apps
twofa-code-label = Code
twofa-confirm = Bestätigen
twofa-recovery-title = Ihre Wiederherstellungscodes
twofa-recovery-text = Mit jedem Code können Sie sich einmal anmelden, falls Sie Ihr Telefon verlieren. Bewahren Sie die Codes an einem sicheren Ort auf – sie werden nur jetzt angezeigt.
twofa-continue = Weiter zum Backoffice
twofa-challenge-title = Zwei-Faktor-Authentifizierung
twofa-challenge-text = Geben Sie den Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.
twofa-submit = Überprüfen

## Backoffice
backoffice-title = Backoffice
backoffice-welcome = Angemeldet als { $email } ({ $role }).
backoffice-audit = Audit-Protokoll
audit-title = Audit-Protokoll
audit-when = Wann
audit-who = Wer
audit-action = Aktion
audit-target = Objekt
audit-ip = IP-Adresse
role-customer = Kunde
role-support = Support
role-finance = Finanzen
role-admin = Administrator

## E-Mails
email-greeting = Guten Tag,
email-signature = Ihr Kontor-Team
email-footer = Kontor · E-Mail- und Speicher-Hosting in Europa · Dies ist eine automatisch versendete Nachricht; Antworten werden nicht gelesen.
email-verify-subject = Bitte bestätigen Sie Ihre E-Mail-Adresse
email-verify-body = Willkommen bei Kontor, { $name }! Bitte bestätigen Sie Ihre E-Mail-Adresse, damit Sie Ihren kostenlosen Monat starten können.
email-verify-expiry = Der Link ist { $hours } Stunden lang gültig.
email-verify-action = E-Mail-Adresse bestätigen
email-reset-subject = Ihr Kontor-Passwort zurücksetzen
email-reset-body = Jemand – hoffentlich Sie selbst – hat angefordert, das Passwort Ihres Kontor-Kontos zurückzusetzen.
email-reset-expiry = { $hours ->
    [one] Der Link ist eine Stunde lang gültig.
   *[other] Der Link ist { $hours } Stunden lang gültig.
}
email-reset-ignore = Falls Sie dies nicht angefordert haben, können Sie diese E-Mail ignorieren: Ihr Passwort bleibt unverändert.
email-reset-action = Neues Passwort festlegen
email-signup-exists-subject = Ihr Kontor-Konto
email-signup-exists-body = Jemand hat versucht, mit dieser E-Mail-Adresse ein neues Kontor-Konto zu erstellen. Sie haben bereits ein Konto: Melden Sie sich an, oder legen Sie ein neues Passwort fest, falls Sie es vergessen haben.
email-signup-exists-action = Neues Passwort festlegen

## Länder
country-de = Deutschland
country-at = Österreich
country-ch = Schweiz
country-fr = Frankreich
country-nl = Niederlande
country-dk = Dänemark
country-no = Norwegen
country-se = Schweden
country-gb = Vereinigtes Königreich
country-be = Belgien
country-bg = Bulgarien
country-cy = Zypern
country-cz = Tschechien
country-ee = Estland
country-es = Spanien
country-fi = Finnland
country-gr = Griechenland
country-hr = Kroatien
country-hu = Ungarn
country-ie = Irland
country-it = Italien
country-lt = Litauen
country-lu = Luxemburg
country-lv = Lettland
country-mt = Malta
country-pl = Polen
country-pt = Portugal
country-ro = Rumänien
country-si = Slowenien
country-sk = Slowakei

## E-Mail-Adresse ändern: Einstellungen, die Links, die Benachrichtigungen
settings-email-title = E-Mail-Adresse
settings-email-current = Sie melden sich mit { $address } an und erhalten dort Ihre Rechnungen.
settings-email-new = Neue E-Mail-Adresse
settings-email-hint = Wir senden einen Link an die neue Adresse. Ihre Adresse ändert sich, wenn Sie ihn öffnen (innerhalb von 24 Stunden).
settings-email-change = E-Mail-Adresse ändern
email-change-sent = Wir haben einen Link an { $address } gesendet. Öffnen Sie ihn innerhalb von 24 Stunden, um die Änderung zu bestätigen; bis dahin bleibt Ihre Adresse, wie sie ist.
email-change-same = Das ist bereits Ihre E-Mail-Adresse.
email-change-taken = Diese E-Mail-Adresse wird bereits von einem anderen Konto verwendet.
email-change-done = Ihre E-Mail-Adresse lautet jetzt { $address }.
email-confirm-title = Neue E-Mail-Adresse bestätigen
email-confirm-text = Künftig mit { $address } anmelden und dort Ihre Rechnungen erhalten?
email-confirm-submit = Neue Adresse bestätigen
email-restore-title = E-Mail-Adresse wiederherstellen
email-restore-text = Soll { $address } wieder die Adresse Ihres Kontos sein? Alle, die in Ihrem Konto angemeldet sind, werden abgemeldet; danach wählen Sie ein neues Passwort.
email-restore-submit = Meine Adresse wiederherstellen
email-restore-done = Ihre E-Mail-Adresse lautet wieder { $address }, und alle wurden abgemeldet. Wählen Sie jetzt ein neues Passwort: Der Link geht an { $address }.
email-change-verify-subject = Bestätigen Sie Ihre neue E-Mail-Adresse
email-change-verify-body = Sie möchten { $address } für Ihr Kontor-Konto verwenden. Öffnen Sie den Link unten, um das zu bestätigen.
email-change-verify-expiry = Der Link ist { $hours } Stunden gültig. Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Es ändert sich nichts.
email-change-verify-action = Neue Adresse bestätigen
email-change-taken-subject = Jemand wollte Ihre E-Mail-Adresse verwenden
email-change-taken-body = Jemand, der in einem anderen Kontor-Konto angemeldet ist, wollte dessen E-Mail-Adresse auf diese ändern. An Ihrem Konto hat sich nichts geändert. Falls Sie das waren: Diese Adresse gehört hier bereits zu Ihrem eigenen Konto. Melden Sie sich damit an, oder legen Sie ein neues Passwort fest, falls Sie es vergessen haben.
email-change-taken-action = Neues Passwort festlegen
email-changed-subject = Die E-Mail-Adresse Ihres Kontor-Kontos wurde geändert
email-changed-body = Die E-Mail-Adresse Ihres Kontor-Kontos wurde in { $address } geändert. Ab jetzt schreiben wir an die neue Adresse.
email-changed-not-you = Falls Sie das nicht waren, kennt jemand Ihr Passwort: Holen Sie sich mit der Schaltfläche unten innerhalb von { $days } Tagen Ihre Adresse zurück und melden Sie alle ab; wählen Sie danach ein neues Passwort.
email-changed-restore-action = Das war ich nicht: Adresse wiederherstellen
email-changed-by-admin-body = Ein Administrator hat die E-Mail-Adresse Ihres Kontor-Mitarbeiterkontos in { $address } geändert.
email-changed-by-admin-not-you = Falls Sie das nicht erwartet haben, wenden Sie sich sofort an Ihren Administrator.
email-changed-new-subject = Das ist jetzt Ihre Kontor-Anmeldeadresse
email-changed-new-body = Ein Administrator hat { $address } zur Adresse Ihres Kontor-Mitarbeiterkontos gemacht: Melden Sie sich ab jetzt damit an.
email-changed-new-action = Anmelden

# A closed account (closing.rs): the read-only overview and the confirmation email.
account-closed-services = Ihre Leistungen laufen bis { $date }; danach wird nichts mehr berechnet.
account-closed-services-ended = Ihre Leistungen sind beendet.
account-closed-open = { $count ->
    [one] Eine Rechnung ist noch offen. Sie können sie per Überweisung oder PayPal bezahlen.
   *[other] { $count } Rechnungen sind noch offen. Sie können sie per Überweisung oder PayPal bezahlen.
}
account-closed-last-invoice = Speicher, den Sie in diesem Zeitraum hinzugefügt haben, kommt auf eine letzte Rechnung.
account-closed-read-only = Bis alles beglichen ist, können Sie sich anmelden und Ihre Rechnungen und Zahlungen ansehen.
email-closed-subject = Ihr Konto ist geschlossen
email-closed-services = Ihre Leistungen laufen bis { $date }. Danach wird nichts mehr berechnet; ein SEPA-Lastschriftmandat wurde widerrufen.
email-closed-invoices = Bis alles beglichen ist, können Sie sich weiterhin anmelden, Ihre Rechnungen und Zahlungen ansehen und Offenes bezahlen.
email-closed-action = Meine Rechnungen anzeigen
settings-e-invoice-title = E-Rechnungen
settings-e-invoice-text = Wir können Ihre Rechnungen als Factur-X-E-Rechnungen senden: dasselbe PDF, das die Rechnung zusätzlich als strukturiertes XML für Buchhaltungsprogramme enthält. Geschäftskunden mit USt-IdNr. erhalten sie ohnehin.
settings-e-invoice-label = Meine Rechnungen als Factur-X-E-Rechnungen senden
settings-e-invoice-save = Speichern
settings-e-invoice-on = Ab Ihrer nächsten Rechnung erhalten Sie Factur-X-E-Rechnungen.
settings-e-invoice-off = Ihre nächsten Rechnungen kommen als einfache PDFs.
