## Comptes : inscription, connexion, paramètres, sécurité. Identifiants en kebab-case.

nav-sign-up = S'inscrire
nav-account = Mon compte
nav-sign-out = Se déconnecter
nav-backoffice = Back-office

## Erreurs de formulaire
field-required = Veuillez remplir ce champ.
field-invalid = Veuillez vérifier ce champ.
field-unprintable = Ce champ contient des caractères que nos factures ne peuvent pas imprimer. Veuillez utiliser des lettres latines, grecques ou cyrilliques.
email-invalid = Veuillez saisir une adresse e-mail valide, par exemple anna@example.com.
country-unknown = Veuillez choisir votre pays dans la liste.
vat-id-empty = Veuillez saisir votre numéro de TVA intracommunautaire ou laisser le champ vide.
vat-id-wrong-country = Ce numéro de TVA intracommunautaire appartient à un autre pays que celui que vous avez choisi.
vat-id-bad-format = Ce numéro de TVA intracommunautaire n'a pas le format utilisé dans votre pays.
vat-id-bad-check-digit = Ce numéro de TVA intracommunautaire contient une faute de frappe (sa clé de contrôle ne correspond pas).
password-too-short = Veuillez utiliser au moins { $min } caractères.
password-too-long = Veuillez utiliser au maximum { $max } caractères.
password-too-common = Ce mot de passe est trop courant et facile à deviner. Veuillez en choisir un autre.
password-contains-personal-data = Veuillez ne pas utiliser votre nom ni votre adresse e-mail dans votre mot de passe.
password-blank = Veuillez choisir un mot de passe qui ne soit pas composé uniquement d'espaces.
account-invalid-link = Ce lien n'est pas valide, a déjà été utilisé ou a expiré.
account-wrong-password = Le mot de passe est incorrect.
account-not-verified = Veuillez d'abord confirmer votre adresse e-mail.
csrf-failed = Votre formulaire a expiré. Veuillez revenir en arrière, recharger la page et réessayer.
rate-limited-title = Trop de tentatives
rate-limited = Trop de tentatives. Veuillez patienter { $seconds } secondes, puis réessayer.
totp-not-enrolled = L'authentification à deux facteurs n'est pas configurée pour ce compte.
totp-malformed = Veuillez saisir le code à 6 chiffres de votre application d'authentification, ou un code de récupération.
totp-wrong-code = Le code est incorrect. Veuillez réessayer avec un nouveau code.
totp-replayed = Ce code a déjà été utilisé. Veuillez attendre le code suivant.

## Inscription
signup-title = Créez votre compte
signup-lead = Votre premier mois est offert. Vous pouvez résilier à tout moment avant la fin de ce mois.
signup-email = Adresse e-mail
signup-password = Mot de passe
signup-password-hint = Au moins { $min } caractères. Une longue phrase est facile à retenir et difficile à deviner.
signup-name = Nom complet
signup-company = Entreprise (facultatif)
signup-vat-id = Numéro de TVA intracommunautaire (facultatif, pour les entreprises)
signup-street = Numéro et nom de rue
signup-postal-code = Code postal
signup-city = Ville
signup-country = Pays
signup-language = Langue des e-mails et des factures
signup-submit = Créer mon compte
signup-have-account = Déjà client ? Connectez-vous
signup-done-title = Consultez votre boîte de réception
signup-done-text = Nous avons envoyé un lien de confirmation à { $email }. Cliquez dessus pour confirmer votre adresse ; vous pourrez ensuite démarrer votre mois gratuit.

## Vérification de l'adresse e-mail
verify-done-title = Adresse e-mail confirmée
verify-done-text = Merci ! Votre adresse e-mail est confirmée.
verify-pending = Veuillez confirmer votre adresse e-mail : nous vous avons envoyé un lien. D'ici là, vous ne pouvez ni démarrer d'essai ni effectuer d'achat.
verify-resend = Renvoyer le lien
verify-resent = Nous vous avons envoyé un nouveau lien de confirmation.

## Connexion
login-title = Se connecter
login-email = Adresse e-mail
login-password = Mot de passe
login-submit = Se connecter
login-failed = L'adresse e-mail ou le mot de passe est incorrect.
login-forgot = Mot de passe oublié ?
login-no-account = Pas encore client ? Créez un compte
logout-done = Vous avez été déconnecté.

## Mon compte
account-title = Mon compte
account-welcome = Bienvenue, { $name } !
account-email = Adresse e-mail
account-verified = Confirmée
account-settings = Paramètres
account-sessions = Appareils connectés
account-data = Mes données

## Paramètres
settings-title = Paramètres
settings-saved = Vos modifications ont été enregistrées.
settings-save = Enregistrer les modifications
settings-country-fixed = Votre pays détermine votre devise et ne peut pas être modifié ici. Si vous avez déménagé, veuillez contacter l'assistance.
settings-vat-valid = Le service VIES de l'UE a confirmé la validité de { $vat_id } le { $date }.
settings-vat-invalid = Selon le service VIES de l'UE, { $vat_id } n'est pas valide (vérifié le { $date }). Tant qu'aucun numéro de TVA intracommunautaire valide n'est enregistré, vos factures comportent la TVA comme celles d'un particulier. Veuillez vérifier le numéro et le corriger.
settings-vat-pending = { $vat_id } n'a pas encore pu être vérifié auprès du service VIES de l'UE ; nous réessaierons. Tant qu'il n'est pas confirmé, vos factures comportent la TVA comme celles d'un particulier.
settings-password-title = Changer de mot de passe
settings-password-current = Mot de passe actuel
settings-password-new = Nouveau mot de passe
settings-password-change = Changer le mot de passe
settings-password-changed = Votre mot de passe a été modifié. Vos autres appareils ont été déconnectés.
settings-data-title = Vos données
settings-data-text = Téléchargez toutes les données que nous conservons à votre sujet sous forme de fichier JSON.
settings-data-download = Télécharger mes données
settings-close-title = Clôturer le compte
settings-close-text = La clôture de votre compte vous déconnecte de tous vos appareils et met fin à vos services à la fin de la période en cours. Nous conservons vos factures aussi longtemps que la loi l'exige, puis nous les anonymisons.
settings-close-confirm = Saisissez votre mot de passe pour confirmer
settings-close-submit = Clôturer mon compte
account-closed-title = Votre compte est clôturé
account-closed-text = Merci de nous avoir fait confiance. Nous conservons vos factures aussi longtemps que la loi l'exige.

## Sessions
sessions-title = Appareils connectés
sessions-current = Cet appareil
sessions-started = Connexion
sessions-last-seen = Dernière activité
sessions-ip = Adresse IP
sessions-device = Navigateur
sessions-end = Déconnecter
sessions-end-all = Se déconnecter partout
sessions-ended = L'appareil a été déconnecté.

## Réinitialisation du mot de passe
forgot-title = Mot de passe oublié ?
forgot-text = Saisissez votre adresse e-mail et nous vous enverrons un lien pour choisir un nouveau mot de passe.
forgot-submit = Envoyer le lien
forgot-sent = Si un compte existe pour cette adresse, nous y avons envoyé un lien. Il est valable une heure.
reset-title = Choisissez un nouveau mot de passe
reset-submit = Enregistrer le nouveau mot de passe
reset-done = Votre nouveau mot de passe est enregistré. Veuillez vous connecter.
set-password-title = Choisissez votre mot de passe

## Authentification à deux facteurs (personnel)
twofa-enrol-title = Configurer l'authentification à deux facteurs
twofa-enrol-text = Votre rôle exige un second facteur. Ajoutez ce compte à une application d'authentification (comme FreeOTP ou Aegis) à l'aide de la clé ci-dessous, puis saisissez le code à 6 chiffres qu'elle affiche.
twofa-secret-label = Clé
twofa-uri-label = Lien pour les applications d'authentification
twofa-code-label = Code
twofa-confirm = Confirmer
twofa-recovery-title = Vos codes de récupération
twofa-recovery-text = Chaque code vous permet de vous connecter une fois si vous perdez votre téléphone. Conservez-les en lieu sûr : ils ne sont affichés que maintenant.
twofa-continue = Continuer vers le back-office
twofa-challenge-title = Authentification à deux facteurs
twofa-challenge-text = Saisissez le code de votre application d'authentification ou l'un de vos codes de récupération.
twofa-submit = Vérifier

## Back-office
backoffice-title = Back-office
backoffice-welcome = Connecté en tant que { $email } ({ $role }).
backoffice-audit = Journal d'audit
audit-title = Journal d'audit
audit-when = Quand
audit-who = Qui
audit-action = Action
audit-target = Cible
audit-ip = Adresse IP
role-customer = Client
role-support = Assistance
role-finance = Finance
role-admin = Administrateur

## E-mails
email-greeting = Bonjour,
email-signature = L'équipe Kontor
email-footer = Kontor · Hébergement de messagerie et de stockage en Europe · Ceci est un message automatique ; les réponses ne sont pas lues.
email-verify-subject = Veuillez confirmer votre adresse e-mail
email-verify-body = Bienvenue chez Kontor, { $name } ! Veuillez confirmer votre adresse e-mail pour pouvoir démarrer votre mois gratuit.
email-verify-expiry = Le lien est valable { $hours } heures.
email-verify-action = Confirmer l'adresse e-mail
email-reset-subject = Réinitialisez votre mot de passe Kontor
email-reset-body = Quelqu'un, vous-même nous l'espérons, a demandé la réinitialisation du mot de passe de votre compte Kontor.
email-reset-expiry = { $hours ->
    [one] Le lien est valable une heure.
   *[other] Le lien est valable { $hours } heures.
}
email-reset-ignore = Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer cet e-mail : votre mot de passe reste inchangé.
email-reset-action = Choisir un nouveau mot de passe
email-signup-exists-subject = Votre compte Kontor
email-signup-exists-body = Quelqu'un a tenté de créer un nouveau compte Kontor avec cette adresse e-mail. Vous avez déjà un compte : connectez-vous, ou choisissez un nouveau mot de passe si vous l'avez oublié.
email-signup-exists-action = Choisir un nouveau mot de passe

## Pays
country-de = Allemagne
country-at = Autriche
country-ch = Suisse
country-fr = France
country-nl = Pays-Bas
country-dk = Danemark
country-no = Norvège
country-se = Suède
country-gb = Royaume-Uni
country-be = Belgique
country-bg = Bulgarie
country-cy = Chypre
country-cz = Tchéquie
country-ee = Estonie
country-es = Espagne
country-fi = Finlande
country-gr = Grèce
country-hr = Croatie
country-hu = Hongrie
country-ie = Irlande
country-it = Italie
country-lt = Lituanie
country-lu = Luxembourg
country-lv = Lettonie
country-mt = Malte
country-pl = Pologne
country-pt = Portugal
country-ro = Roumanie
country-si = Slovénie
country-sk = Slovaquie

## Changer d'adresse e-mail : paramètres, liens, avis
settings-email-title = Adresse e-mail
settings-email-current = Vous vous connectez et recevez vos factures à l'adresse { $address }.
settings-email-new = Nouvelle adresse e-mail
settings-email-hint = Nous envoyons un lien à la nouvelle adresse. Votre adresse change lorsque vous l'ouvrez (dans les 24 heures).
settings-email-change = Changer d'adresse e-mail
email-change-sent = Nous avons envoyé un lien à { $address }. Ouvrez-le dans les 24 heures pour confirmer le changement ; d'ici là, votre adresse reste inchangée.
email-change-same = C'est déjà votre adresse e-mail.
email-change-taken = Cette adresse e-mail est déjà utilisée par un autre compte.
email-change-done = Votre adresse e-mail est désormais { $address }.
email-confirm-title = Confirmez votre nouvelle adresse e-mail
email-confirm-text = Vous connecter et recevoir vos factures à l'adresse { $address } à partir de maintenant ?
email-confirm-submit = Confirmer la nouvelle adresse
email-restore-title = Rétablir votre adresse e-mail
email-restore-text = Faire de { $address } à nouveau l'adresse de votre compte ? Toutes les personnes connectées à votre compte sont déconnectées ; vous choisissez ensuite un nouveau mot de passe.
email-restore-submit = Rétablir mon adresse
email-restore-done = Votre adresse e-mail est de nouveau { $address } et tout le monde a été déconnecté. Choisissez maintenant un nouveau mot de passe : le lien est envoyé à { $address }.
email-change-verify-subject = Confirmez votre nouvelle adresse e-mail
email-change-verify-body = Vous avez demandé à utiliser { $address } pour votre compte Kontor. Ouvrez le lien ci-dessous pour le confirmer.
email-change-verify-expiry = Le lien est valable { $hours } heures. Si vous n'avez rien demandé, ignorez cet e-mail : rien ne change.
email-change-verify-action = Confirmer la nouvelle adresse
email-change-taken-subject = Quelqu'un a tenté d'utiliser votre adresse e-mail
email-change-taken-body = Une personne connectée à un autre compte Kontor a tenté de remplacer l'adresse e-mail de ce compte par celle-ci. Rien n'a changé sur votre compte. Si c'était vous : cette adresse appartient déjà à votre propre compte ici ; connectez-vous avec elle, ou choisissez un nouveau mot de passe si vous l'avez oublié.
email-change-taken-action = Choisir un nouveau mot de passe
email-changed-subject = L'adresse e-mail de votre compte Kontor a été modifiée
email-changed-body = L'adresse e-mail de votre compte Kontor a été remplacée par { $address }. Désormais, nous écrivons à la nouvelle adresse.
email-changed-not-you = Si ce n'était pas vous, quelqu'un connaît votre mot de passe : utilisez le bouton ci-dessous dans les { $days } jours pour récupérer votre adresse et déconnecter tout le monde, puis choisissez un nouveau mot de passe.
email-changed-restore-action = Ce n'était pas moi : rétablir mon adresse
email-changed-by-admin-body = Un administrateur a remplacé l'adresse e-mail de votre compte employé Kontor par { $address }.
email-changed-by-admin-not-you = Si vous ne vous y attendiez pas, prévenez immédiatement votre administrateur.
email-changed-new-subject = C'est désormais votre adresse de connexion Kontor
email-changed-new-body = Un administrateur a fait de { $address } l'adresse de votre compte employé Kontor : connectez-vous désormais avec elle.
email-changed-new-action = Se connecter

# A closed account (closing.rs): the read-only overview and the confirmation email.
account-closed-services = Vos services restent actifs jusqu’au { $date } ; rien ne sera plus facturé ensuite.
account-closed-services-ended = Vos services ont pris fin.
account-closed-open = { $count ->
    [one] Une facture est encore ouverte. Vous pouvez la régler par virement ou PayPal.
   *[other] { $count } factures sont encore ouvertes. Vous pouvez les régler par virement ou PayPal.
}
account-closed-last-invoice = L’espace ajouté pendant cette période figurera sur une dernière facture.
account-closed-read-only = Jusqu’au règlement complet, vous pouvez vous connecter pour consulter vos factures et paiements.
email-closed-subject = Votre compte est fermé
email-closed-services = Vos services restent actifs jusqu’au { $date }. Rien ne sera plus facturé ensuite et tout mandat de prélèvement a été révoqué.
email-closed-invoices = Jusqu’au règlement complet, vous pouvez toujours vous connecter pour consulter vos factures et paiements et régler ce qui reste dû.
email-closed-action = Voir mes factures
settings-e-invoice-title = Factures électroniques
settings-e-invoice-text = Nous pouvons vous envoyer vos factures au format Factur-X : le même PDF, qui contient aussi la facture en XML structuré lisible par les logiciels comptables. Les clients professionnels ayant un numéro de TVA les reçoivent de toute façon.
settings-e-invoice-label = M’envoyer mes factures au format électronique Factur-X
settings-e-invoice-save = Enregistrer
settings-e-invoice-on = À partir de votre prochaine facture, vous recevez des factures électroniques Factur-X.
settings-e-invoice-off = Vos prochaines factures arrivent en PDF simple.
