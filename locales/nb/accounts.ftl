## Kontoer: registrering, innlogging, innstillinger, sikkerhet. Hold id-er i kebab-case.

nav-sign-up = Registrer deg
nav-account = Min konto
nav-sign-out = Logg ut
nav-backoffice = Administrasjon

## Skjemafeil
field-required = Fyll ut dette feltet.
field-invalid = Kontroller dette feltet.
field-unprintable = Dette inneholder tegn som fakturaene våre ikke kan skrive ut. Bruk latinske, greske eller kyrilliske bokstaver.
email-invalid = Skriv inn en gyldig e-postadresse, for eksempel anna@example.com.
country-unknown = Velg landet ditt fra listen.
vat-id-empty = Skriv inn MVA-nummeret ditt, eller la feltet stå tomt.
vat-id-wrong-country = Dette MVA-nummeret tilhører et annet land enn det du har valgt.
vat-id-bad-format = Dette MVA-nummeret har ikke formatet som brukes i landet ditt.
vat-id-bad-check-digit = Dette MVA-nummeret inneholder en skrivefeil (kontrollsifferet stemmer ikke).
password-too-short = Bruk minst { $min } tegn.
password-too-long = Bruk høyst { $max } tegn.
password-too-common = Dette passordet er for vanlig og lett å gjette. Velg et annet.
password-contains-personal-data = Ikke bruk navnet eller e-postadressen din i passordet.
password-blank = Velg et passord som ikke bare består av mellomrom.
account-invalid-link = Lenken er ugyldig, er allerede brukt eller har utløpt.
account-wrong-password = Passordet er feil.
account-not-verified = Bekreft e-postadressen din først.
csrf-failed = Skjemaet har utløpt. Gå tilbake, last inn siden på nytt og prøv igjen.
rate-limited-title = For mange forsøk
rate-limited = For mange forsøk. Vent { $seconds } sekunder og prøv igjen.
totp-not-enrolled = Tofaktorautentisering er ikke konfigurert for denne kontoen.
totp-malformed = Skriv inn den 6-sifrede koden fra autentiseringsappen din, eller en gjenopprettingskode.
totp-wrong-code = Koden er feil. Prøv igjen med en ny kode.
totp-replayed = Denne koden er allerede brukt. Vent på neste kode.

## Registrering
signup-title = Opprett kontoen din
signup-lead = Den første måneden er gratis. Du kan si opp når som helst før den er omme.
signup-email = E-postadresse
signup-password = Passord
signup-password-hint = Minst { $min } tegn. En lang setning er lett å huske og vanskelig å gjette.
signup-name = Fullt navn
signup-company = Firma (valgfritt)
signup-vat-id = MVA-nummer (valgfritt, for bedrifter)
signup-street = Gateadresse
signup-postal-code = Postnummer
signup-city = Poststed
signup-country = Land
signup-language = Språk for e-post og fakturaer
signup-submit = Opprett konto
signup-have-account = Allerede kunde? Logg inn
signup-done-title = Sjekk innboksen din
signup-done-text = Vi har sendt en bekreftelseslenke til { $email }. Klikk på den for å bekrefte adressen din. Deretter kan du starte gratismåneden din.

## Bekreftelse av e-postadresse
verify-done-title = E-postadressen er bekreftet
verify-done-text = Takk! E-postadressen din er bekreftet.
verify-pending = Bekreft e-postadressen din: Vi har sendt deg en lenke. Inntil da kan du ikke starte en prøveperiode eller kjøpe noe.
verify-resend = Send lenken på nytt
verify-resent = Vi har sendt deg en ny bekreftelseslenke.

## Innlogging
login-title = Logg inn
login-email = E-postadresse
login-password = Passord
login-submit = Logg inn
login-failed = E-postadressen eller passordet er feil.
login-forgot = Glemt passordet?
login-no-account = Ny her? Opprett en konto
logout-done = Du er nå logget ut.

## Min konto
account-title = Min konto
account-welcome = Velkommen, { $name }!
account-email = E-postadresse
account-verified = Bekreftet
account-settings = Innstillinger
account-sessions = Innloggede enheter
account-data = Mine data

## Innstillinger
settings-title = Innstillinger
settings-saved = Endringene dine er lagret.
settings-save = Lagre endringer
settings-country-fixed = Landet ditt bestemmer valutaen din og kan ikke endres her. Kontakt kundestøtte hvis du har flyttet.
settings-vat-valid = EUs VIES-tjeneste bekreftet { $vat_id } som gyldig den { $date }.
settings-vat-invalid = Ifølge EUs VIES-tjeneste er { $vat_id } ikke gyldig (kontrollert den { $date }). Så lenge det ikke er registrert et gyldig MVA-nummer, har fakturaene dine MVA som en privatkundes. Kontroller nummeret og rett det.
settings-vat-pending = { $vat_id } kunne ennå ikke kontrolleres hos EUs VIES-tjeneste; vi prøver igjen. Inntil det er bekreftet, har fakturaene dine MVA som en privatkundes.
settings-password-title = Endre passord
settings-password-current = Nåværende passord
settings-password-new = Nytt passord
settings-password-change = Endre passord
settings-password-changed = Passordet ditt er endret. Andre enheter er logget ut.
settings-data-title = Dataene dine
settings-data-text = Last ned alt vi lagrer om deg, som en JSON-fil.
settings-data-download = Last ned dataene mine
settings-close-title = Avslutt konto
settings-close-text = Når du avslutter kontoen, blir du logget ut overalt, og tjenestene dine opphører ved slutten av inneværende periode. Vi oppbevarer fakturaene dine så lenge loven krever det, og anonymiserer dem deretter.
settings-close-confirm = Skriv inn passordet ditt for å bekrefte
settings-close-submit = Avslutt kontoen min
account-closed-title = Kontoen din er avsluttet
account-closed-text = Takk for at du har vært kunde hos oss. Vi oppbevarer fakturaene dine så lenge loven krever det.

## Økter
sessions-title = Innloggede enheter
sessions-current = Denne enheten
sessions-started = Logget inn
sessions-last-seen = Sist aktiv
sessions-ip = IP-adresse
sessions-device = Nettleser
sessions-end = Logg ut
sessions-end-all = Logg ut overalt
sessions-ended = Enheten er logget ut.

## Tilbakestilling av passord
forgot-title = Glemt passordet?
forgot-text = Skriv inn e-postadressen din, så sender vi deg en lenke der du kan velge et nytt passord.
forgot-submit = Send lenke
forgot-sent = Hvis det finnes en konto for denne adressen, har vi sendt en lenke til den. Lenken er gyldig i én time.
reset-title = Velg et nytt passord
reset-submit = Lagre nytt passord
reset-done = Det nye passordet ditt er lagret. Du kan nå logge inn.
set-password-title = Velg passordet ditt

## Tofaktorautentisering (ansatte)
twofa-enrol-title = Konfigurer tofaktorautentisering
twofa-enrol-text = Rollen din krever en ekstra faktor. Legg til denne kontoen i en autentiseringsapp (for eksempel FreeOTP eller Aegis) med nøkkelen nedenfor, og skriv deretter inn den 6-sifrede koden som appen viser.
twofa-secret-label = Nøkkel
twofa-uri-label = Lenke for autentiseringsapper
twofa-code-label = Kode
twofa-confirm = Bekreft
twofa-recovery-title = Gjenopprettingskodene dine
twofa-recovery-text = Hver kode gir deg tilgang én gang hvis du mister telefonen. Oppbevar dem et trygt sted: De vises bare nå.
twofa-continue = Fortsett til administrasjonen
twofa-challenge-title = Tofaktorautentisering
twofa-challenge-text = Skriv inn koden fra autentiseringsappen din, eller en av gjenopprettingskodene dine.
twofa-submit = Verifiser

## Administrasjon
backoffice-title = Administrasjon
backoffice-welcome = Logget inn som { $email } ({ $role }).
backoffice-audit = Revisjonslogg
audit-title = Revisjonslogg
audit-when = Når
audit-who = Hvem
audit-action = Handling
audit-target = Objekt
audit-ip = IP-adresse
role-customer = Kunde
role-support = Kundestøtte
role-finance = Økonomi
role-admin = Administrator

## E-post
email-greeting = Hei,
email-signature = Vennlig hilsen Kontor-teamet
email-footer = Kontor · Drift av e-post og lagring i Europa · Dette er en automatisk melding. Svar blir ikke lest.
email-verify-subject = Bekreft e-postadressen din
email-verify-body = Velkommen til Kontor, { $name }! Bekreft e-postadressen din, så kan du starte gratismåneden din.
email-verify-expiry = Lenken er gyldig i { $hours } timer.
email-verify-action = Bekreft e-postadressen
email-reset-subject = Tilbakestill passordet ditt for Kontor
email-reset-body = Noen, forhåpentligvis du, har bedt om å tilbakestille passordet for Kontor-kontoen din.
email-reset-expiry = { $hours ->
    [one] Lenken er gyldig i én time.
   *[other] Lenken er gyldig i { $hours } timer.
}
email-reset-ignore = Hvis det ikke var du som ba om dette, kan du se bort fra denne e-posten. Passordet ditt forblir uendret.
email-reset-action = Velg et nytt passord
email-signup-exists-subject = Kontor-kontoen din
email-signup-exists-body = Noen har prøvd å opprette en ny Kontor-konto med denne e-postadressen. Du har allerede en konto: Logg inn, eller velg et nytt passord hvis du har glemt det.
email-signup-exists-action = Velg et nytt passord

## Land
country-de = Tyskland
country-at = Østerrike
country-ch = Sveits
country-fr = Frankrike
country-nl = Nederland
country-dk = Danmark
country-no = Norge
country-se = Sverige
country-gb = Storbritannia
country-be = Belgia
country-bg = Bulgaria
country-cy = Kypros
country-cz = Tsjekkia
country-ee = Estland
country-es = Spania
country-fi = Finland
country-gr = Hellas
country-hr = Kroatia
country-hu = Ungarn
country-ie = Irland
country-it = Italia
country-lt = Litauen
country-lu = Luxembourg
country-lv = Latvia
country-mt = Malta
country-pl = Polen
country-pt = Portugal
country-ro = Romania
country-si = Slovenia
country-sk = Slovakia

## Bytte e-postadresse: innstillinger, lenkene, varslene
settings-email-title = E-postadresse
settings-email-current = Du logger inn og mottar fakturaene dine på { $address }.
settings-email-new = Ny e-postadresse
settings-email-hint = Vi sender en lenke til den nye adressen. Adressen din endres når du åpner den (innen 24 timer).
settings-email-change = Bytt e-postadresse
email-change-sent = Vi har sendt en lenke til { $address }. Åpne den innen 24 timer for å bekrefte byttet; fram til da er adressen din uendret.
email-change-same = Dette er allerede e-postadressen din.
email-change-taken = Denne e-postadressen brukes allerede av en annen konto.
email-change-done = E-postadressen din er nå { $address }.
email-confirm-title = Bekreft den nye e-postadressen din
email-confirm-text = Logge inn og motta fakturaene dine på { $address } fra nå av?
email-confirm-submit = Bekreft den nye adressen
email-restore-title = Gjenopprett e-postadressen din
email-restore-text = Gjøre { $address } til kontoens adresse igjen? Alle som er logget inn på kontoen din, blir logget ut; deretter velger du et nytt passord.
email-restore-submit = Gjenopprett adressen min
email-restore-done = E-postadressen din er { $address } igjen, og alle er logget ut. Velg et nytt passord nå: lenken sendes til { $address }.
email-change-verify-subject = Bekreft den nye e-postadressen din
email-change-verify-body = Du har bedt om å bruke { $address } for Kontor-kontoen din. Åpne lenken nedenfor for å bekrefte det.
email-change-verify-expiry = Lenken er gyldig i { $hours } timer. Hvis du ikke har bedt om dette, kan du se bort fra denne e-posten: ingenting endres.
email-change-verify-action = Bekreft den nye adressen
email-change-taken-subject = Noen prøvde å bruke e-postadressen din
email-change-taken-body = Noen som er logget inn på en annen Kontor-konto, prøvde å bytte den kontoens e-postadresse til denne. Ingenting er endret på kontoen din. Hvis det var deg: adressen hører allerede til din egen konto her, så logg inn med den, eller velg et nytt passord hvis du har glemt det.
email-change-taken-action = Velg et nytt passord
email-changed-subject = E-postadressen til Kontor-kontoen din er endret
email-changed-body = E-postadressen til Kontor-kontoen din er endret til { $address }. Fra nå av skriver vi til den nye adressen.
email-changed-not-you = Hvis det ikke var deg, kjenner noen passordet ditt: bruk knappen nedenfor innen { $days } dager for å få adressen din tilbake og logge ut alle, og velg deretter et nytt passord.
email-changed-restore-action = Det var ikke meg: gjenopprett adressen min
email-changed-by-admin-body = En administrator har endret e-postadressen til Kontor-ansattkontoen din til { $address }.
email-changed-by-admin-not-you = Hvis du ikke ventet dette, si fra til administratoren din med en gang.
email-changed-new-subject = Dette er nå innloggingsadressen din hos Kontor
email-changed-new-body = En administrator har gjort { $address } til adressen til Kontor-ansattkontoen din: logg inn med den fra nå av.
email-changed-new-action = Logg inn

# A closed account (closing.rs): the read-only overview and the confirmation email.
account-closed-services = Tjenestene dine varer til og med { $date }; deretter faktureres ingenting mer.
account-closed-services-ended = Tjenestene dine er avsluttet.
account-closed-open = { $count ->
    [one] Én faktura er fortsatt åpen. Du kan betale den med bankoverføring eller PayPal.
   *[other] { $count } fakturaer er fortsatt åpne. Du kan betale dem med bankoverføring eller PayPal.
}
account-closed-last-invoice = Lagring du har lagt til i denne perioden, kommer på en siste faktura.
account-closed-read-only = Til alt er gjort opp, kan du logge inn og se fakturaene og betalingene dine.
email-closed-subject = Kontoen din er stengt
email-closed-services = Tjenestene dine varer til og med { $date }. Deretter faktureres ingenting mer, og et avtalegiro-samtykke er trukket tilbake.
email-closed-invoices = Til alt er gjort opp, kan du fortsatt logge inn, se fakturaene og betalingene dine og betale det som er åpent.
email-closed-action = Vis fakturaene mine
settings-e-invoice-title = E-fakturaer
settings-e-invoice-text = Vi kan sende fakturaene dine som Factur-X-e-fakturaer: den samme PDF-en, som også inneholder fakturaen som strukturert XML som regnskapsprogrammer kan lese. Bedriftskunder med MVA-nummer får dem uansett.
settings-e-invoice-label = Send fakturaene mine som Factur-X-e-fakturaer
settings-e-invoice-save = Lagre
settings-e-invoice-on = Fra neste faktura får du Factur-X-e-fakturaer.
settings-e-invoice-off = De neste fakturaene dine kommer som vanlige PDF-er.
