## Konti: tilmelding, login, indstillinger, sikkerhed. Hold id'er i kebab-case.

nav-sign-up = Tilmeld dig
nav-account = Min konto
nav-sign-out = Log ud
nav-backoffice = Administration

## Fejl i formularer
field-required = Udfyld dette felt.
field-invalid = Kontrollér dette felt.
field-unprintable = Dette indeholder tegn, som vores fakturaer ikke kan udskrive. Brug latinske, græske eller kyrilliske bogstaver.
email-invalid = Angiv en gyldig mailadresse, f.eks. anna@example.com.
country-unknown = Vælg dit land på listen.
vat-id-empty = Angiv dit momsnummer, eller lad feltet stå tomt.
vat-id-wrong-country = Dette momsnummer tilhører et andet land end det, du har valgt.
vat-id-bad-format = Dette momsnummer har ikke det format, der bruges i dit land.
vat-id-bad-check-digit = Dette momsnummer indeholder en tastefejl (kontrolcifferet passer ikke).
password-too-short = Brug mindst { $min } tegn.
password-too-long = Brug højst { $max } tegn.
password-too-common = Denne adgangskode er for almindelig og let at gætte. Vælg en anden.
password-contains-personal-data = Brug ikke dit navn eller din mailadresse i adgangskoden.
password-blank = Vælg en adgangskode, der ikke kun består af mellemrum.
account-invalid-link = Linket er ugyldigt, er allerede brugt eller er udløbet.
account-wrong-password = Adgangskoden er forkert.
account-not-verified = Bekræft først din mailadresse.
csrf-failed = Formularen er udløbet. Gå tilbage, genindlæs siden, og prøv igen.
rate-limited-title = For mange forsøg
rate-limited = For mange forsøg. Vent { $seconds } sekunder, og prøv igen.
totp-not-enrolled = Tofaktorgodkendelse er ikke konfigureret for denne konto.
totp-malformed = Indtast den 6-cifrede kode fra din godkendelsesapp eller en gendannelseskode.
totp-wrong-code = Koden er forkert. Prøv igen med en ny kode.
totp-replayed = Denne kode er allerede brugt. Vent på den næste kode.

## Tilmelding
signup-title = Opret din konto
signup-lead = Din første måned er gratis. Du kan opsige når som helst, inden den udløber.
signup-email = Mailadresse
signup-password = Adgangskode
signup-password-hint = Mindst { $min } tegn. En lang sætning er let at huske og svær at gætte.
signup-name = Fulde navn
signup-company = Virksomhed (valgfrit)
signup-vat-id = Momsnummer (valgfrit, for virksomheder)
signup-street = Gade og husnummer
signup-postal-code = Postnummer
signup-city = By
signup-country = Land
signup-language = Sprog for mails og fakturaer
signup-submit = Opret konto
signup-have-account = Allerede kunde? Log ind
signup-done-title = Tjek din indbakke
signup-done-text = Vi har sendt et bekræftelseslink til { $email }. Klik på det for at bekræfte din adresse. Derefter kan du starte din gratis måned.

## Bekræftelse af mailadresse
verify-done-title = Mailadressen er bekræftet
verify-done-text = Tak! Din mailadresse er bekræftet.
verify-pending = Bekræft din mailadresse: Vi har sendt dig et link. Indtil da kan du ikke starte en prøveperiode eller købe noget.
verify-resend = Send linket igen
verify-resent = Vi har sendt dig et nyt bekræftelseslink.

## Login
login-title = Log ind
login-email = Mailadresse
login-password = Adgangskode
login-submit = Log ind
login-failed = Mailadressen eller adgangskoden er forkert.
login-forgot = Har du glemt din adgangskode?
login-no-account = Ny her? Opret en konto
logout-done = Du er nu logget ud.

## Min konto
account-title = Min konto
account-welcome = Velkommen, { $name }!
account-email = Mailadresse
account-verified = Bekræftet
account-settings = Indstillinger
account-sessions = Enheder, der er logget ind
account-data = Mine data

## Indstillinger
settings-title = Indstillinger
settings-saved = Dine ændringer er gemt.
settings-save = Gem ændringer
settings-country-fixed = Dit land bestemmer din valuta og kan ikke ændres her. Kontakt support, hvis du er flyttet.
settings-vat-valid = EU's VIES-tjeneste bekræftede { $vat_id } som gyldigt den { $date }.
settings-vat-invalid = Ifølge EU's VIES-tjeneste er { $vat_id } ikke gyldigt (kontrolleret den { $date }). Så længe der ikke er registreret et gyldigt momsnummer, har dine fakturaer moms som en privatkundes. Kontrollér nummeret, og ret det.
settings-vat-pending = { $vat_id } kunne endnu ikke kontrolleres hos EU's VIES-tjeneste; vi prøver igen. Indtil det er bekræftet, har dine fakturaer moms som en privatkundes.
settings-password-title = Skift adgangskode
settings-password-current = Nuværende adgangskode
settings-password-new = Ny adgangskode
settings-password-change = Skift adgangskode
settings-password-changed = Din adgangskode er ændret. Andre enheder er blevet logget ud.
settings-data-title = Dine data
settings-data-text = Download alt, hvad vi gemmer om dig, som en JSON-fil.
settings-data-download = Download mine data
settings-close-title = Luk konto
settings-close-text = Når du lukker din konto, bliver du logget ud overalt, og dine tjenester ophører ved udgangen af den aktuelle periode. Vi opbevarer dine fakturaer, så længe loven kræver det, og anonymiserer dem derefter.
settings-close-confirm = Indtast din adgangskode for at bekræfte
settings-close-submit = Luk min konto
account-closed-title = Din konto er lukket
account-closed-text = Tak, fordi du har været kunde hos os. Vi opbevarer dine fakturaer, så længe loven kræver det.

## Sessioner
sessions-title = Enheder, der er logget ind
sessions-current = Denne enhed
sessions-started = Logget ind
sessions-last-seen = Sidst aktiv
sessions-ip = IP-adresse
sessions-device = Browser
sessions-end = Log ud
sessions-end-all = Log ud overalt
sessions-ended = Enheden er blevet logget ud.

## Nulstilling af adgangskode
forgot-title = Har du glemt din adgangskode?
forgot-text = Indtast din mailadresse, så sender vi dig et link, hvor du kan vælge en ny adgangskode.
forgot-submit = Send link
forgot-sent = Hvis der findes en konto med denne adresse, har vi sendt et link til den. Linket er gyldigt i én time.
reset-title = Vælg en ny adgangskode
reset-submit = Gem ny adgangskode
reset-done = Din nye adgangskode er gemt. Du kan nu logge ind.
set-password-title = Vælg din adgangskode

## Tofaktorgodkendelse (medarbejdere)
twofa-enrol-title = Konfigurer tofaktorgodkendelse
twofa-enrol-text = Din rolle kræver en ekstra faktor. Føj denne konto til en godkendelsesapp (f.eks. FreeOTP eller Aegis) med nøglen nedenfor, og indtast derefter den 6-cifrede kode, som appen viser.
twofa-secret-label = Nøgle
twofa-uri-label = Link til godkendelsesapps
twofa-code-label = Kode
twofa-confirm = Bekræft
twofa-recovery-title = Dine gendannelseskoder
twofa-recovery-text = Hver kode giver dig adgang én gang, hvis du mister din telefon. Opbevar dem et sikkert sted: De vises kun nu.
twofa-continue = Fortsæt til administrationen
twofa-challenge-title = Tofaktorgodkendelse
twofa-challenge-text = Indtast koden fra din godkendelsesapp eller en af dine gendannelseskoder.
twofa-submit = Verificer

## Administration
backoffice-title = Administration
backoffice-welcome = Logget ind som { $email } ({ $role }).
backoffice-audit = Revisionslog
audit-title = Revisionslog
audit-when = Hvornår
audit-who = Hvem
audit-action = Handling
audit-target = Objekt
audit-ip = IP-adresse
role-customer = Kunde
role-support = Support
role-finance = Økonomi
role-admin = Administrator

## Mails
email-greeting = Hej,
email-signature = Venlig hilsen Kontor-teamet
email-footer = Kontor · Hosting af mail og lagerplads i Europa · Dette er en automatisk besked. Svar bliver ikke læst.
email-verify-subject = Bekræft din mailadresse
email-verify-body = Velkommen til Kontor, { $name }! Bekræft din mailadresse, så du kan starte din gratis måned.
email-verify-expiry = Linket er gyldigt i { $hours } timer.
email-verify-action = Bekræft mailadresse
email-reset-subject = Nulstil din adgangskode til Kontor
email-reset-body = Nogen, forhåbentlig dig selv, har bedt om at nulstille adgangskoden til din Kontor-konto.
email-reset-expiry = { $hours ->
    [one] Linket er gyldigt i én time.
   *[other] Linket er gyldigt i { $hours } timer.
}
email-reset-ignore = Hvis det ikke var dig, kan du se bort fra denne mail. Din adgangskode forbliver uændret.
email-reset-action = Vælg en ny adgangskode
email-signup-exists-subject = Din Kontor-konto
email-signup-exists-body = Nogen har forsøgt at oprette en ny Kontor-konto med denne mailadresse. Du har allerede en konto: Log ind, eller vælg en ny adgangskode, hvis du har glemt den.
email-signup-exists-action = Vælg en ny adgangskode

## Lande
country-de = Tyskland
country-at = Østrig
country-ch = Schweiz
country-fr = Frankrig
country-nl = Nederlandene
country-dk = Danmark
country-no = Norge
country-se = Sverige
country-gb = Storbritannien
country-be = Belgien
country-bg = Bulgarien
country-cy = Cypern
country-cz = Tjekkiet
country-ee = Estland
country-es = Spanien
country-fi = Finland
country-gr = Grækenland
country-hr = Kroatien
country-hu = Ungarn
country-ie = Irland
country-it = Italien
country-lt = Litauen
country-lu = Luxembourg
country-lv = Letland
country-mt = Malta
country-pl = Polen
country-pt = Portugal
country-ro = Rumænien
country-si = Slovenien
country-sk = Slovakiet

## Skift e-mailadresse: indstillinger, links, meddelelser
settings-email-title = E-mailadresse
settings-email-current = Du logger ind og modtager dine fakturaer på { $address }.
settings-email-new = Ny e-mailadresse
settings-email-hint = Vi sender et link til den nye adresse. Din adresse skifter, når du åbner det (inden for 24 timer).
settings-email-change = Skift e-mailadresse
email-change-sent = Vi har sendt et link til { $address }. Åbn det inden for 24 timer for at bekræfte skiftet; indtil da er din adresse uændret.
email-change-same = Det er allerede din e-mailadresse.
email-change-taken = Denne e-mailadresse bruges allerede af en anden konto.
email-change-done = Din e-mailadresse er nu { $address }.
email-confirm-title = Bekræft din nye e-mailadresse
email-confirm-text = Logge ind og modtage dine fakturaer på { $address } fra nu af?
email-confirm-submit = Bekræft den nye adresse
email-restore-title = Gendan din e-mailadresse
email-restore-text = Gøre { $address } til din kontos adresse igen? Alle, der er logget ind på din konto, bliver logget ud; derefter vælger du en ny adgangskode.
email-restore-submit = Gendan min adresse
email-restore-done = Din e-mailadresse er { $address } igen, og alle er blevet logget ud. Vælg en ny adgangskode nu: linket sendes til { $address }.
email-change-verify-subject = Bekræft din nye e-mailadresse
email-change-verify-body = Du har bedt om at bruge { $address } til din Kontor-konto. Åbn linket nedenfor for at bekræfte det.
email-change-verify-expiry = Linket er gyldigt i { $hours } timer. Hvis du ikke har bedt om dette, kan du se bort fra denne e-mail: intet ændres.
email-change-verify-action = Bekræft den nye adresse
email-change-taken-subject = Nogen forsøgte at bruge din e-mailadresse
email-change-taken-body = En person, der er logget ind på en anden Kontor-konto, forsøgte at skifte den kontos e-mailadresse til denne. Intet er ændret på din konto. Hvis det var dig: adressen hører allerede til din egen konto her, så log ind med den, eller vælg en ny adgangskode, hvis du har glemt den.
email-change-taken-action = Vælg en ny adgangskode
email-changed-subject = E-mailadressen på din Kontor-konto er ændret
email-changed-body = E-mailadressen på din Kontor-konto er ændret til { $address }. Fra nu af skriver vi til den nye adresse.
email-changed-not-you = Hvis det ikke var dig, kender nogen din adgangskode: brug knappen nedenfor inden for { $days } dage for at få din adresse tilbage og logge alle ud, og vælg derefter en ny adgangskode.
email-changed-restore-action = Det var ikke mig: gendan min adresse
email-changed-by-admin-body = En administrator har ændret e-mailadressen på din Kontor-medarbejderkonto til { $address }.
email-changed-by-admin-not-you = Hvis du ikke havde ventet dette, så sig det straks til din administrator.
email-changed-new-subject = Dette er nu din login-adresse hos Kontor
email-changed-new-body = En administrator har gjort { $address } til adressen på din Kontor-medarbejderkonto: log ind med den fra nu af.
email-changed-new-action = Log ind

# A closed account (closing.rs): the read-only overview and the confirmation email.
account-closed-services = Dine tjenester kører til og med { $date }; derefter faktureres der ikke mere.
account-closed-services-ended = Dine tjenester er ophørt.
account-closed-open = { $count ->
    [one] Én faktura er stadig åben. Du kan betale den med bankoverførsel eller PayPal.
   *[other] { $count } fakturaer er stadig åbne. Du kan betale dem med bankoverførsel eller PayPal.
}
account-closed-last-invoice = Lagerplads, du har tilføjet i denne periode, kommer på en sidste faktura.
account-closed-read-only = Indtil alt er betalt, kan du logge ind og se dine fakturaer og betalinger.
email-closed-subject = Din konto er lukket
email-closed-services = Dine tjenester kører til og med { $date }. Derefter faktureres der ikke mere, og en betalingsaftale er tilbagekaldt.
email-closed-invoices = Indtil alt er betalt, kan du stadig logge ind, se dine fakturaer og betalinger og betale det, der er åbent.
email-closed-action = Vis mine fakturaer
settings-e-invoice-title = E-fakturaer
settings-e-invoice-text = Vi kan sende dine fakturaer som Factur-X-e-fakturaer: den samme PDF, som også indeholder fakturaen som struktureret XML, som regnskabsprogrammer kan læse. Erhvervskunder med momsnummer får dem under alle omstændigheder.
settings-e-invoice-label = Send mine fakturaer som Factur-X-e-fakturaer
settings-e-invoice-save = Gem
settings-e-invoice-on = Fra din næste faktura får du Factur-X-e-fakturaer.
settings-e-invoice-off = Dine næste fakturaer kommer som almindelige PDF'er.
