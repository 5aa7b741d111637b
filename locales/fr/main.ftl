## Kontor : messages communs à toutes les pages. Identifiants en kebab-case, regroupés par domaine.

language-name = Français
product-name = Kontor
product-tagline = Votre compte de messagerie et de stockage

## Navigation et mise en page
nav-home = Accueil
nav-status = État des services
nav-sign-in = Se connecter
nav-language = Langue
nav-skip = Aller au contenu
footer-company = { $company } · Hébergement de messagerie et de stockage en Europe

## Page d'accueil
home-title = Une messagerie et un stockage sur lesquels vous pouvez compter
home-lead = Une boîte mail de 10 Go pour { $price } par mois. Le premier mois est offert.
home-feature-trial-title = Premier mois offert
home-feature-trial-text = Essayez toutes les fonctionnalités pendant un mois. Résiliez à tout moment avant la fin de ce mois et vous ne payez rien.
home-feature-storage-title = Un stockage qui évolue avec vous
home-feature-storage-text = Ajoutez 10, 50, 100 ou 500 Go dès que vous en avez besoin, facturés au jour près.
home-feature-invoices-title = Des factures claires
home-feature-invoices-text = Des factures mensuelles au format PDF dans votre langue, payables par virement bancaire, prélèvement ou PayPal.
home-cta = Démarrer votre mois gratuit

## État du service et erreurs
health-ok = Tous les systèmes sont opérationnels
health-database-down = La base de données est inaccessible
error-page-title = Une erreur s'est produite
error-not-found = Cette page n'existe pas.
error-internal = Une erreur inattendue s'est produite. Aucune modification n'a été effectuée ; veuillez réessayer dans un instant.
error-back-home = Retour à la page d'accueil

## Saisie des montants et erreurs comptables
money-currency-mismatch = Des montants libellés dans des devises différentes ne peuvent pas être combinés.
money-overflow = Le montant est trop élevé.
money-not-rounded = Le montant comporte plus de décimales que la devise ne le permet.
money-invalid-weights = Le montant ne peut pas être réparti selon ces proportions.
money-no-parts = Le montant doit être réparti en au moins une part.
money-parse-empty = Veuillez saisir un montant.
money-parse-invalid = Veuillez saisir un montant composé uniquement de chiffres et d'au plus un séparateur décimal, par exemple 12,50.
money-parse-too-many-decimals = Veuillez saisir au plus { $allowed } décimales.
money-parse-too-large = Le montant est trop élevé.
ledger-invalid-entry = L'écriture est incomplète.
ledger-too-few-postings = Une écriture doit comporter au moins deux lignes.
ledger-zero-posting = Une écriture ne peut pas contenir de ligne d'un montant nul.
ledger-not-rounded = Un montant de l'écriture comporte plus de décimales que la devise ne le permet.
ledger-unbalanced = L'écriture n'est pas équilibrée : le total des débits diffère de celui des crédits.
ledger-idempotency-conflict = Cette écriture a déjà été enregistrée avec un contenu différent.
ledger-currency-mismatch = La devise de l'écriture diffère de celle du compte.
ledger-unknown-account = Le compte n'existe pas.
ledger-account-conflict = Un compte portant ce code existe déjà avec des paramètres différents.
ledger-corrupt = La comptabilité contient des données illisibles. Le service financier a été prévenu.
ledger-refused = La base de données a refusé l'écriture, car elle compromettrait la cohérence de la comptabilité.

## Montants : position du symbole, et symbole de chaque devise dans cette langue
money-format = { $amount }{"\u00A0"}{ $symbol }
currency-EUR = €
currency-CHF = CHF
currency-GBP = £
currency-SEK = SEK
currency-NOK = NOK
currency-DKK = DKK
text-control-character = Veuillez retirer les caractères de contrôle (comme échappement ou retour chariot) du texte.
text-too-long = Le texte est trop long.

# Forms that cannot be read (web::form) and forms sent again (web::submission).
form-unreadable = Le formulaire n’a pas pu être lu. Veuillez revenir en arrière, recharger la page et réessayer.
form-control-characters = Le formulaire contient des caractères de contrôle invisibles. Veuillez saisir le texte à nouveau sans eux.
form-too-large = Le formulaire est trop volumineux. Veuillez raccourcir le texte et réessayer.
form-expired = Votre formulaire a expiré. Veuillez revenir en arrière, recharger la page et réessayer.
submission-running-title = Traitement en cours
submission-running-text = Ce formulaire a déjà été envoyé et est encore en cours de traitement. Rechargez cette page dans un instant pour voir le résultat ; rien ne sera fait deux fois.
