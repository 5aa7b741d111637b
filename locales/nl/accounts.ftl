## Accounts: registratie, inloggen, instellingen, beveiliging. Houd id's in kebab-case.

nav-sign-up = Registreren
nav-account = Mijn account
nav-sign-out = Uitloggen
nav-backoffice = Backoffice

## Formulierfouten
field-required = Vul dit veld in.
field-invalid = Controleer dit veld.
field-unprintable = Dit bevat tekens die onze facturen niet kunnen afdrukken. Gebruik Latijnse, Griekse of Cyrillische letters.
email-invalid = Vul een geldig e-mailadres in, bijvoorbeeld anna@example.com.
country-unknown = Kies uw land uit de lijst.
vat-id-empty = Vul uw btw-nummer in of laat het veld leeg.
vat-id-wrong-country = Dit btw-nummer hoort bij een ander land dan het land dat u hebt gekozen.
vat-id-bad-format = Dit btw-nummer heeft niet de opbouw die in uw land wordt gebruikt.
vat-id-bad-check-digit = Dit btw-nummer bevat een typfout (het controlecijfer klopt niet).
password-too-short = Gebruik minstens { $min } tekens.
password-too-long = Gebruik maximaal { $max } tekens.
password-too-common = Dit wachtwoord komt te vaak voor en is makkelijk te raden. Kies een ander wachtwoord.
password-contains-personal-data = Gebruik uw naam of e-mailadres niet in uw wachtwoord.
password-blank = Kies een wachtwoord dat niet alleen uit spaties bestaat.
account-invalid-link = Deze link is ongeldig, al gebruikt of verlopen.
account-wrong-password = Het wachtwoord is onjuist.
account-not-verified = Bevestig eerst uw e-mailadres.
csrf-failed = Uw formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
rate-limited-title = Te veel pogingen
rate-limited = Te veel pogingen. Wacht { $seconds } seconden en probeer het opnieuw.
totp-not-enrolled = Tweestapsverificatie is niet ingesteld voor dit account.
totp-malformed = Voer de 6-cijferige code uit uw authenticator-app in, of een herstelcode.
totp-wrong-code = De code is onjuist. Probeer het opnieuw met een nieuwe code.
totp-replayed = Deze code is al gebruikt. Wacht op de volgende code.

## Registratie
signup-title = Maak uw account aan
signup-lead = Uw eerste maand is gratis. U kunt op elk moment vóór het einde van die maand opzeggen.
signup-email = E-mailadres
signup-password = Wachtwoord
signup-password-hint = Minstens { $min } tekens. Een lange zin is makkelijk te onthouden en moeilijk te raden.
signup-name = Volledige naam
signup-company = Bedrijf (optioneel)
signup-vat-id = Btw-nummer (optioneel, voor bedrijven)
signup-street = Straat en huisnummer
signup-postal-code = Postcode
signup-city = Plaats
signup-country = Land
signup-language = Taal voor e-mails en facturen
signup-submit = Account aanmaken
signup-have-account = Al klant? Log in
signup-done-title = Controleer uw inbox
signup-done-text = We hebben een bevestigingslink gestuurd naar { $email }. Klik erop om uw adres te bevestigen; daarna kunt u uw gratis maand starten.

## E-mailverificatie
verify-done-title = E-mailadres bevestigd
verify-done-text = Bedankt! Uw e-mailadres is bevestigd.
verify-pending = Bevestig uw e-mailadres: we hebben u een link gestuurd. Tot die tijd kunt u geen proefperiode starten en niets kopen.
verify-resend = Link opnieuw sturen
verify-resent = We hebben u een nieuwe bevestigingslink gestuurd.

## Inloggen
login-title = Inloggen
login-email = E-mailadres
login-password = Wachtwoord
login-submit = Inloggen
login-failed = Het e-mailadres of wachtwoord is onjuist.
login-forgot = Wachtwoord vergeten?
login-no-account = Nieuw hier? Maak een account aan
logout-done = U bent uitgelogd.

## Mijn account
account-title = Mijn account
account-welcome = Welkom, { $name }!
account-email = E-mailadres
account-verified = Bevestigd
account-settings = Instellingen
account-sessions = Ingelogde apparaten
account-data = Mijn gegevens

## Instellingen
settings-title = Instellingen
settings-saved = Uw wijzigingen zijn opgeslagen.
settings-save = Wijzigingen opslaan
settings-country-fixed = Uw land bepaalt uw valuta en kan hier niet worden gewijzigd. Neem contact op met de klantenservice als u bent verhuisd.
settings-vat-valid = De VIES-dienst van de EU heeft { $vat_id } op { $date } als geldig bevestigd.
settings-vat-invalid = Volgens de VIES-dienst van de EU is { $vat_id } niet geldig (gecontroleerd op { $date }). Zolang er geen geldig btw-nummer bekend is, bevatten uw facturen btw zoals die van een particuliere klant. Controleer het nummer en corrigeer het.
settings-vat-pending = { $vat_id } kon nog niet bij de VIES-dienst van de EU worden gecontroleerd; we proberen het opnieuw. Tot het is bevestigd, bevatten uw facturen btw zoals die van een particuliere klant.
settings-password-title = Wachtwoord wijzigen
settings-password-current = Huidig wachtwoord
settings-password-new = Nieuw wachtwoord
settings-password-change = Wachtwoord wijzigen
settings-password-changed = Uw wachtwoord is gewijzigd. Andere apparaten zijn uitgelogd.
settings-data-title = Uw gegevens
settings-data-text = Download alles wat we over u opslaan als JSON-bestand.
settings-data-download = Mijn gegevens downloaden
settings-close-title = Account opheffen
settings-close-text = Als u uw account opheft, wordt u overal uitgelogd en eindigen uw diensten aan het einde van de lopende periode. We bewaren uw facturen zo lang als de wet voorschrijft en anonimiseren ze daarna.
settings-close-confirm = Voer ter bevestiging uw wachtwoord in
settings-close-submit = Mijn account opheffen
account-closed-title = Uw account is opgeheven
account-closed-text = Bedankt dat u klant bij ons was. We bewaren uw facturen zo lang als de wet voorschrijft.

## Sessies
sessions-title = Ingelogde apparaten
sessions-current = Dit apparaat
sessions-started = Ingelogd op
sessions-last-seen = Laatst actief
sessions-ip = IP-adres
sessions-device = Browser
sessions-end = Uitloggen
sessions-end-all = Overal uitloggen
sessions-ended = Het apparaat is uitgelogd.

## Wachtwoord opnieuw instellen
forgot-title = Wachtwoord vergeten?
forgot-text = Vul uw e-mailadres in, dan sturen we u een link waarmee u een nieuw wachtwoord kunt kiezen.
forgot-submit = Link versturen
forgot-sent = Als er een account voor dit adres bestaat, hebben we er een link naartoe gestuurd. Deze is één uur geldig.
reset-title = Kies een nieuw wachtwoord
reset-submit = Nieuw wachtwoord opslaan
reset-done = Uw nieuwe wachtwoord is opgeslagen. U kunt nu inloggen.
set-password-title = Kies uw wachtwoord

## Tweestapsverificatie (medewerkers)
twofa-enrol-title = Tweestapsverificatie instellen
twofa-enrol-text = Voor uw rol is een tweede factor vereist. Voeg dit account met de onderstaande sleutel toe aan een authenticator-app (zoals FreeOTP of Aegis) en voer daarna de 6-cijferige code in die de app toont.
twofa-secret-label = Sleutel
twofa-uri-label = Link voor authenticator-apps
twofa-code-label = Code
twofa-confirm = Bevestigen
twofa-recovery-title = Uw herstelcodes
twofa-recovery-text = Met elke code kunt u één keer inloggen als u uw telefoon kwijtraakt. Bewaar ze op een veilige plek: ze worden alleen nu getoond.
twofa-continue = Verder naar de backoffice
twofa-challenge-title = Tweestapsverificatie
twofa-challenge-text = Voer de code uit uw authenticator-app in, of een van uw herstelcodes.
twofa-submit = Verifiëren

## Backoffice
backoffice-title = Backoffice
backoffice-welcome = Ingelogd als { $email } ({ $role }).
backoffice-audit = Auditlog
audit-title = Auditlog
audit-when = Wanneer
audit-who = Wie
audit-action = Actie
audit-target = Object
audit-ip = IP-adres
role-customer = Klant
role-support = Support
role-finance = Financiën
role-admin = Beheerder

## E-mails
email-greeting = Hallo,
email-signature = Het Kontor-team
email-footer = Kontor · E-mail- en opslaghosting in Europa · Dit is een automatisch bericht; antwoorden worden niet gelezen.
email-verify-subject = Bevestig uw e-mailadres
email-verify-body = Welkom bij Kontor, { $name }! Bevestig uw e-mailadres, zodat u uw gratis maand kunt starten.
email-verify-expiry = De link is { $hours } uur geldig.
email-verify-action = E-mailadres bevestigen
email-reset-subject = Stel uw Kontor-wachtwoord opnieuw in
email-reset-body = Iemand, hopelijk uzelf, heeft gevraagd om het wachtwoord van uw Kontor-account opnieuw in te stellen.
email-reset-expiry = { $hours ->
    [one] De link is één uur geldig.
   *[other] De link is { $hours } uur geldig.
}
email-reset-ignore = Als u dit niet hebt aangevraagd, kunt u deze e-mail negeren: uw wachtwoord blijft ongewijzigd.
email-reset-action = Kies een nieuw wachtwoord
email-signup-exists-subject = Uw Kontor-account
email-signup-exists-body = Iemand heeft geprobeerd met dit e-mailadres een nieuw Kontor-account aan te maken. U hebt al een account: log in, of kies een nieuw wachtwoord als u het bent vergeten.
email-signup-exists-action = Kies een nieuw wachtwoord

## Landen
country-de = Duitsland
country-at = Oostenrijk
country-ch = Zwitserland
country-fr = Frankrijk
country-nl = Nederland
country-dk = Denemarken
country-no = Noorwegen
country-se = Zweden
country-gb = Verenigd Koninkrijk
country-be = België
country-bg = Bulgarije
country-cy = Cyprus
country-cz = Tsjechië
country-ee = Estland
country-es = Spanje
country-fi = Finland
country-gr = Griekenland
country-hr = Kroatië
country-hu = Hongarije
country-ie = Ierland
country-it = Italië
country-lt = Litouwen
country-lu = Luxemburg
country-lv = Letland
country-mt = Malta
country-pl = Polen
country-pt = Portugal
country-ro = Roemenië
country-si = Slovenië
country-sk = Slowakije

## E-mailadres wijzigen: instellingen, de links, de meldingen
settings-email-title = E-mailadres
settings-email-current = U meldt zich aan en ontvangt uw facturen op { $address }.
settings-email-new = Nieuw e-mailadres
settings-email-hint = We sturen een link naar het nieuwe adres. Uw adres verandert zodra u die opent (binnen 24 uur).
settings-email-change = E-mailadres wijzigen
email-change-sent = We hebben een link naar { $address } gestuurd. Open die binnen 24 uur om de wijziging te bevestigen; tot dan blijft uw adres zoals het is.
email-change-same = Dit is al uw e-mailadres.
email-change-taken = Dit e-mailadres wordt al door een ander account gebruikt.
email-change-done = Uw e-mailadres is nu { $address }.
email-confirm-title = Bevestig uw nieuwe e-mailadres
email-confirm-text = Voortaan aanmelden en uw facturen ontvangen op { $address }?
email-confirm-submit = Nieuw adres bevestigen
email-restore-title = Uw e-mailadres herstellen
email-restore-text = { $address } weer het adres van uw account maken? Iedereen die in uw account is aangemeld, wordt afgemeld; daarna kiest u een nieuw wachtwoord.
email-restore-submit = Mijn adres herstellen
email-restore-done = Uw e-mailadres is weer { $address } en iedereen is afgemeld. Kies nu een nieuw wachtwoord: de link gaat naar { $address }.
email-change-verify-subject = Bevestig uw nieuwe e-mailadres
email-change-verify-body = U wilt { $address } gebruiken voor uw Kontor-account. Open de link hieronder om dat te bevestigen.
email-change-verify-expiry = De link is { $hours } uur geldig. Hebt u hier niet om gevraagd, negeer deze e-mail dan: er verandert niets.
email-change-verify-action = Nieuw adres bevestigen
email-change-taken-subject = Iemand probeerde uw e-mailadres te gebruiken
email-change-taken-body = Iemand die in een ander Kontor-account is aangemeld, probeerde het e-mailadres van dat account in dit adres te wijzigen. Aan uw account is niets veranderd. Was u het zelf: dit adres hoort hier al bij uw eigen account, dus meld u daarmee aan, of kies een nieuw wachtwoord als u het vergeten bent.
email-change-taken-action = Nieuw wachtwoord kiezen
email-changed-subject = Het e-mailadres van uw Kontor-account is gewijzigd
email-changed-body = Het e-mailadres van uw Kontor-account is gewijzigd in { $address }. Voortaan schrijven we naar het nieuwe adres.
email-changed-not-you = Was u dit niet, dan kent iemand uw wachtwoord: gebruik binnen { $days } dagen de knop hieronder om uw adres terug te krijgen en iedereen af te melden, en kies daarna een nieuw wachtwoord.
email-changed-restore-action = Dit was ik niet: mijn adres herstellen
email-changed-by-admin-body = Een beheerder heeft het e-mailadres van uw Kontor-medewerkersaccount gewijzigd in { $address }.
email-changed-by-admin-not-you = Had u dit niet verwacht, laat het dan meteen uw beheerder weten.
email-changed-new-subject = Dit is nu uw aanmeldadres bij Kontor
email-changed-new-body = Een beheerder heeft { $address } het adres van uw Kontor-medewerkersaccount gemaakt: meld u voortaan daarmee aan.
email-changed-new-action = Aanmelden

# A closed account (closing.rs): the read-only overview and the confirmation email.
account-closed-services = Uw diensten lopen tot en met { $date }; daarna wordt niets meer gefactureerd.
account-closed-services-ended = Uw diensten zijn beëindigd.
account-closed-open = { $count ->
    [one] Er staat nog één factuur open. U kunt die per overschrijving of PayPal betalen.
   *[other] Er staan nog { $count } facturen open. U kunt ze per overschrijving of PayPal betalen.
}
account-closed-last-invoice = Opslag die u deze periode hebt toegevoegd, komt op een laatste factuur.
account-closed-read-only = Tot alles is voldaan, kunt u inloggen om uw facturen en betalingen te zien.
email-closed-subject = Uw account is gesloten
email-closed-services = Uw diensten lopen tot en met { $date }. Daarna wordt niets meer gefactureerd en een incassomachtiging is ingetrokken.
email-closed-invoices = Tot alles is voldaan, kunt u nog inloggen om uw facturen en betalingen te zien en te betalen wat openstaat.
email-closed-action = Mijn facturen tonen
settings-e-invoice-title = E-facturen
settings-e-invoice-text = We kunnen uw facturen als Factur-X-e-facturen sturen: dezelfde pdf, die de factuur ook als gestructureerde XML voor boekhoudsoftware bevat. Zakelijke klanten met een btw-nummer ontvangen ze sowieso.
settings-e-invoice-label = Mijn facturen als Factur-X-e-facturen sturen
settings-e-invoice-save = Opslaan
settings-e-invoice-on = Vanaf uw volgende factuur ontvangt u Factur-X-e-facturen.
settings-e-invoice-off = Uw volgende facturen komen als gewone pdf.
