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
