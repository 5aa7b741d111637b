## Konton: registrering, inloggning, inställningar, säkerhet. Håll id:n i kebab-case.

nav-sign-up = Registrera dig
nav-account = Mitt konto
nav-sign-out = Logga ut
nav-backoffice = Administration

## Formulärfel
field-required = Fyll i det här fältet.
field-invalid = Kontrollera det här fältet.
field-unprintable = Detta innehåller tecken som våra fakturor inte kan skriva ut. Använd latinska, grekiska eller kyrilliska bokstäver.
email-invalid = Ange en giltig e-postadress, till exempel anna@example.com.
country-unknown = Välj ditt land i listan.
vat-id-empty = Ange ditt momsregistreringsnummer eller lämna fältet tomt.
vat-id-wrong-country = Momsregistreringsnumret tillhör ett annat land än det du har valt.
vat-id-bad-format = Momsregistreringsnumret har inte det format som används i ditt land.
vat-id-bad-check-digit = Momsregistreringsnumret innehåller ett skrivfel (kontrollsiffran stämmer inte).
password-too-short = Använd minst { $min } tecken.
password-too-long = Använd högst { $max } tecken.
password-too-common = Lösenordet är för vanligt och lätt att gissa. Välj ett annat.
password-contains-personal-data = Använd inte ditt namn eller din e-postadress i lösenordet.
password-blank = Välj ett lösenord som inte bara består av mellanslag.
account-invalid-link = Länken är ogiltig, har redan använts eller har gått ut.
account-wrong-password = Lösenordet är fel.
account-not-verified = Bekräfta din e-postadress först.
csrf-failed = Formuläret har gått ut. Gå tillbaka, ladda om sidan och försök igen.
rate-limited-title = För många försök
rate-limited = För många försök. Vänta { $seconds } sekunder och försök igen.
totp-not-enrolled = Tvåfaktorsautentisering är inte konfigurerad för det här kontot.
totp-malformed = Ange den 6-siffriga koden från din autentiseringsapp eller en återställningskod.
totp-wrong-code = Koden är fel. Försök igen med en ny kod.
totp-replayed = Koden har redan använts. Vänta på nästa kod.

## Registrering
signup-title = Skapa ditt konto
signup-lead = Din första månad är gratis. Du kan säga upp när som helst innan den tar slut.
signup-email = E-postadress
signup-password = Lösenord
signup-password-hint = Minst { $min } tecken. En lång fras är lätt att komma ihåg och svår att gissa.
signup-name = För- och efternamn
signup-company = Företag (valfritt)
signup-vat-id = Momsregistreringsnummer (valfritt, för företag)
signup-street = Gatuadress
signup-postal-code = Postnummer
signup-city = Ort
signup-country = Land
signup-language = Språk för e-post och fakturor
signup-submit = Skapa konto
signup-have-account = Redan kund? Logga in
signup-done-title = Kolla din inkorg
signup-done-text = Vi har skickat en bekräftelselänk till { $email }. Klicka på den för att bekräfta din adress. Sedan kan du starta din gratismånad.

## Verifiering av e-postadress
verify-done-title = E-postadressen är bekräftad
verify-done-text = Tack! Din e-postadress är bekräftad.
verify-pending = Bekräfta din e-postadress: vi har skickat en länk till dig. Tills dess kan du inte starta en provperiod eller köpa något.
verify-resend = Skicka länken igen
verify-resent = Vi har skickat en ny bekräftelselänk till dig.

## Inloggning
login-title = Logga in
login-email = E-postadress
login-password = Lösenord
login-submit = Logga in
login-failed = E-postadressen eller lösenordet är fel.
login-forgot = Glömt lösenordet?
login-no-account = Ny här? Skapa ett konto
logout-done = Du har loggats ut.

## Mitt konto
account-title = Mitt konto
account-welcome = Välkommen, { $name }!
account-email = E-postadress
account-verified = Bekräftad
account-settings = Inställningar
account-sessions = Inloggade enheter
account-data = Mina uppgifter

## Inställningar
settings-title = Inställningar
settings-saved = Dina ändringar har sparats.
settings-save = Spara ändringar
settings-country-fixed = Ditt land avgör din valuta och kan inte ändras här. Kontakta supporten om du har flyttat.
settings-vat-valid = EU:s VIES-tjänst bekräftade { $vat_id } som giltigt den { $date }.
settings-vat-invalid = Enligt EU:s VIES-tjänst är { $vat_id } inte giltigt (kontrollerat den { $date }). Så länge inget giltigt momsregistreringsnummer finns registrerat har dina fakturor moms som en privatkunds. Kontrollera numret och rätta det.
settings-vat-pending = { $vat_id } har ännu inte kunnat kontrolleras hos EU:s VIES-tjänst; vi försöker igen. Tills det är bekräftat har dina fakturor moms som en privatkunds.
settings-password-title = Byt lösenord
settings-password-current = Nuvarande lösenord
settings-password-new = Nytt lösenord
settings-password-change = Byt lösenord
settings-password-changed = Ditt lösenord har bytts. Andra enheter har loggats ut.
settings-data-title = Dina uppgifter
settings-data-text = Ladda ner allt vi lagrar om dig som en JSON-fil.
settings-data-download = Ladda ner mina uppgifter
settings-close-title = Avsluta konto
settings-close-text = När du avslutar ditt konto loggas du ut överallt och dina tjänster upphör vid slutet av den pågående perioden. Vi sparar dina fakturor så länge lagen kräver och anonymiserar dem sedan.
settings-close-confirm = Ange ditt lösenord för att bekräfta
settings-close-submit = Avsluta mitt konto
account-closed-title = Ditt konto är avslutat
account-closed-text = Tack för att du har varit kund hos oss. Vi sparar dina fakturor så länge lagen kräver.

## Sessioner
sessions-title = Inloggade enheter
sessions-current = Den här enheten
sessions-started = Inloggad
sessions-last-seen = Senast aktiv
sessions-ip = IP-adress
sessions-device = Webbläsare
sessions-end = Logga ut
sessions-end-all = Logga ut överallt
sessions-ended = Enheten har loggats ut.

## Återställning av lösenord
forgot-title = Glömt lösenordet?
forgot-text = Ange din e-postadress så skickar vi en länk där du kan välja ett nytt lösenord.
forgot-submit = Skicka länk
forgot-sent = Om det finns ett konto för adressen har vi skickat en länk till den. Länken gäller i en timme.
reset-title = Välj ett nytt lösenord
reset-submit = Spara nytt lösenord
reset-done = Ditt nya lösenord har sparats. Du kan nu logga in.
set-password-title = Välj ditt lösenord

## Tvåfaktorsautentisering (personal)
twofa-enrol-title = Konfigurera tvåfaktorsautentisering
twofa-enrol-text = Din roll kräver en andra faktor. Lägg till det här kontot i en autentiseringsapp (till exempel FreeOTP eller Aegis) med nyckeln nedan och ange sedan den 6-siffriga kod som appen visar.
twofa-secret-label = Nyckel
twofa-uri-label = Länk för autentiseringsappar
twofa-code-label = Kod
twofa-confirm = Bekräfta
twofa-recovery-title = Dina återställningskoder
twofa-recovery-text = Varje kod ger dig åtkomst en gång om du blir av med din telefon. Förvara dem på ett säkert ställe: de visas bara nu.
twofa-continue = Fortsätt till administrationen
twofa-challenge-title = Tvåfaktorsautentisering
twofa-challenge-text = Ange koden från din autentiseringsapp eller en av dina återställningskoder.
twofa-submit = Verifiera

## Administration
backoffice-title = Administration
backoffice-welcome = Inloggad som { $email } ({ $role }).
backoffice-audit = Granskningslogg
audit-title = Granskningslogg
audit-when = När
audit-who = Vem
audit-action = Åtgärd
audit-target = Objekt
audit-ip = IP-adress
role-customer = Kund
role-support = Support
role-finance = Ekonomi
role-admin = Administratör

## E-post
email-greeting = Hej,
email-signature = Vänliga hälsningar, Kontor-teamet
email-footer = Kontor · Hosting av e-post och lagring i Europa · Det här är ett automatiskt meddelande. Svar läses inte.
email-verify-subject = Bekräfta din e-postadress
email-verify-body = Välkommen till Kontor, { $name }! Bekräfta din e-postadress så att du kan starta din gratismånad.
email-verify-expiry = Länken gäller i { $hours } timmar.
email-verify-action = Bekräfta e-postadressen
email-reset-subject = Återställ ditt lösenord för Kontor
email-reset-body = Någon, förhoppningsvis du, har begärt att lösenordet till ditt Kontor-konto ska återställas.
email-reset-expiry = { $hours ->
    [one] Länken gäller i en timme.
   *[other] Länken gäller i { $hours } timmar.
}
email-reset-ignore = Om du inte har begärt detta kan du bortse från det här meddelandet. Ditt lösenord förblir oförändrat.
email-reset-action = Välj ett nytt lösenord
email-signup-exists-subject = Ditt Kontor-konto
email-signup-exists-body = Någon har försökt skapa ett nytt Kontor-konto med den här e-postadressen. Du har redan ett konto: logga in, eller välj ett nytt lösenord om du har glömt det.
email-signup-exists-action = Välj ett nytt lösenord

## Länder
country-de = Tyskland
country-at = Österrike
country-ch = Schweiz
country-fr = Frankrike
country-nl = Nederländerna
country-dk = Danmark
country-no = Norge
country-se = Sverige
country-gb = Storbritannien
country-be = Belgien
country-bg = Bulgarien
country-cy = Cypern
country-cz = Tjeckien
country-ee = Estland
country-es = Spanien
country-fi = Finland
country-gr = Grekland
country-hr = Kroatien
country-hu = Ungern
country-ie = Irland
country-it = Italien
country-lt = Litauen
country-lu = Luxemburg
country-lv = Lettland
country-mt = Malta
country-pl = Polen
country-pt = Portugal
country-ro = Rumänien
country-si = Slovenien
country-sk = Slovakien

## Byta e-postadress: inställningar, länkarna, meddelandena
settings-email-title = E-postadress
settings-email-current = Du loggar in och får dina fakturor på { $address }.
settings-email-new = Ny e-postadress
settings-email-hint = Vi skickar en länk till den nya adressen. Din adress ändras när du öppnar den (inom 24 timmar).
settings-email-change = Byt e-postadress
email-change-sent = Vi har skickat en länk till { $address }. Öppna den inom 24 timmar för att bekräfta bytet; fram till dess är din adress oförändrad.
email-change-same = Det här är redan din e-postadress.
email-change-taken = Den här e-postadressen används redan av ett annat konto.
email-change-done = Din e-postadress är nu { $address }.
email-confirm-title = Bekräfta din nya e-postadress
email-confirm-text = Logga in och få dina fakturor på { $address } från och med nu?
email-confirm-submit = Bekräfta den nya adressen
email-restore-title = Återställ din e-postadress
email-restore-text = Göra { $address } till ditt kontos adress igen? Alla som är inloggade på ditt konto loggas ut; därefter väljer du ett nytt lösenord.
email-restore-submit = Återställ min adress
email-restore-done = Din e-postadress är { $address } igen och alla har loggats ut. Välj ett nytt lösenord nu: länken skickas till { $address }.
email-change-verify-subject = Bekräfta din nya e-postadress
email-change-verify-body = Du vill använda { $address } för ditt Kontor-konto. Öppna länken nedan för att bekräfta det.
email-change-verify-expiry = Länken gäller i { $hours } timmar. Om du inte har bett om detta kan du bortse från det här mejlet: ingenting ändras.
email-change-verify-action = Bekräfta den nya adressen
email-change-taken-subject = Någon försökte använda din e-postadress
email-change-taken-body = Någon som är inloggad på ett annat Kontor-konto försökte byta det kontots e-postadress till den här. Ingenting har ändrats på ditt konto. Om det var du: adressen hör redan till ditt eget konto här, så logga in med den, eller välj ett nytt lösenord om du har glömt det.
email-change-taken-action = Välj ett nytt lösenord
email-changed-subject = E-postadressen för ditt Kontor-konto har ändrats
email-changed-body = E-postadressen för ditt Kontor-konto har ändrats till { $address }. Från och med nu skriver vi till den nya adressen.
email-changed-not-you = Om det inte var du känner någon till ditt lösenord: använd knappen nedan inom { $days } dagar för att få tillbaka din adress och logga ut alla, och välj sedan ett nytt lösenord.
email-changed-restore-action = Det var inte jag: återställ min adress
email-changed-by-admin-body = En administratör har ändrat e-postadressen för ditt Kontor-personalkonto till { $address }.
email-changed-by-admin-not-you = Om du inte väntade dig detta, kontakta din administratör genast.
email-changed-new-subject = Det här är nu din inloggningsadress hos Kontor
email-changed-new-body = En administratör har gjort { $address } till adressen för ditt Kontor-personalkonto: logga in med den från och med nu.
email-changed-new-action = Logga in

# A closed account (closing.rs): the read-only overview and the confirmation email.
account-closed-services = Dina tjänster gäller till och med { $date }; därefter faktureras inget mer.
account-closed-services-ended = Dina tjänster har upphört.
account-closed-open = { $count ->
    [one] En faktura är fortfarande obetald. Du kan betala den med banköverföring eller PayPal.
   *[other] { $count } fakturor är fortfarande obetalda. Du kan betala dem med banköverföring eller PayPal.
}
account-closed-last-invoice = Lagring som du lagt till under perioden kommer på en sista faktura.
account-closed-read-only = Tills allt är reglerat kan du logga in och se dina fakturor och betalningar.
email-closed-subject = Ditt konto är stängt
email-closed-services = Dina tjänster gäller till och med { $date }. Därefter faktureras inget mer, och ett autogiromedgivande har återkallats.
email-closed-invoices = Tills allt är reglerat kan du fortfarande logga in, se dina fakturor och betalningar och betala det som är obetalt.
email-closed-action = Visa mina fakturor
settings-e-invoice-title = E-fakturor
settings-e-invoice-text = Vi kan skicka dina fakturor som Factur-X-e-fakturor: samma PDF, som också innehåller fakturan som strukturerad XML som bokföringsprogram kan läsa. Företagskunder med momsregistreringsnummer får dem ändå.
settings-e-invoice-label = Skicka mina fakturor som Factur-X-e-fakturor
settings-e-invoice-save = Spara
settings-e-invoice-on = Från och med din nästa faktura får du Factur-X-e-fakturor.
settings-e-invoice-off = Dina nästa fakturor kommer som vanliga PDF-filer.
