## Catalogue : noms des offres
plan-mailbox-10gb = Boîte mail 10 Go
plan-mail-pack-10gb = Boîte mail +10 Go
plan-mail-pack-50gb = Boîte mail +50 Go
plan-mail-pack-100gb = Boîte mail +100 Go
plan-mail-pack-500gb = Boîte mail +500 Go
plan-storage-pack-10gb = Stockage en ligne +10 Go
plan-storage-pack-50gb = Stockage en ligne +50 Go
plan-storage-pack-100gb = Stockage en ligne +100 Go
plan-storage-pack-500gb = Stockage en ligne +500 Go
catalog-unknown-plan = Ce produit n'existe pas.
catalog-no-price = Ce produit n'a pas encore de prix dans votre devise.
catalog-price-not-in-future = Un nouveau prix doit prendre effet à une date future.
catalog-duplicate-price = Un prix existe déjà pour ce produit, cette devise et cette date.

## Erreurs d'abonnement
subscription-exists = Vous avez déjà un abonnement.
subscription-none = Vous n'avez pas encore d'abonnement.
subscription-ended = Votre abonnement est terminé : le stockage ne peut plus être modifié.
subscription-not-cancelled = Votre abonnement n'est pas résilié.
pack-already-ending = Ce pack prend déjà fin à la fin de la période.
iban-invalid = Cet IBAN n'est pas valide. Veuillez le vérifier ou laisser le champ vide.
trial-refused-title = Pas de mois gratuit cette fois-ci
trial-refused-email = Cette adresse e-mail a déjà bénéficié d'un mois gratuit.
trial-refused-payment = Ce compte bancaire a déjà été utilisé pour un mois gratuit.
trial-refused-network = Trop de mois gratuits ont été démarrés depuis votre réseau aujourd'hui. Veuillez réessayer demain.
trial-refused-paid-offer = Vous pouvez tout de même vous abonner dès maintenant : la boîte mail est alors facturée à partir d'aujourd'hui.
trial-refused-subscribe = S'abonner maintenant

## Mentions de TVA sur les factures et les aperçus de prix
vat-note-reverse-charge = Autoliquidation : la TVA est due par le preneur (article 196 de la directive 2006/112/CE).
vat-note-outside-eu = Opération non soumise à la TVA dans l'UE (lieu de prestation situé hors de l'UE).

## Tableau de bord
dashboard-start-title = Démarrez votre mois gratuit
dashboard-start-text = Votre boîte mail de 10 Go est gratuite le premier mois. Résiliez avant la fin de ce mois et vous ne payez rien.
dashboard-start-trial = Démarrer le mois gratuit
dashboard-trial-days-left = { $days ->
    [one] Votre mois gratuit se termine dans { $days } jour.
   *[other] Votre mois gratuit se termine dans { $days } jours.
}
dashboard-cancelled = Votre abonnement prend fin le { $date }.
dashboard-reactivate = Conserver mon abonnement
dashboard-mail-storage = Stockage de la boîte mail
dashboard-online-storage = Stockage en ligne
dashboard-base-price = Prix mensuel de la boîte mail
dashboard-next-invoice = Prochaine facture
dashboard-next-invoice-estimate = Le { $date } : environ { $gross } ({ $net } plus { $rate } % de TVA, soit { $vat })
dashboard-storage-link = Ajouter ou retirer du stockage
dashboard-cancel-link = Résilier l'abonnement

## Packs de stockage
storage-title = Stockage
storage-current = Vos packs de stockage
storage-pack = Pack
storage-monthly = Par mois
storage-since = Depuis le
storage-ends-on = Prend fin le { $date }
storage-remove = Retirer à la fin de la période
storage-remove-note = Les packs que vous retirez restent disponibles jusqu'à la fin de la période en cours ; la période en cours n'est pas remboursée.
storage-add = Ajouter du stockage
storage-add-this = Ajouter…
storage-confirm-title = Ajouter du stockage
storage-confirm-text = { $name } est disponible immédiatement. Pour le reste de la période en cours (du { $date } au { $end }), vous payez une part calculée au prorata des jours.
storage-prorated = Part du { $date } au { $end }
storage-confirm-text-free = { $name } est disponible immédiatement et gratuit jusqu’à la fin de votre mois gratuit, le { $end }. Ensuite, il est facturé chaque mois avec votre boîte mail.
storage-free-share = Mois gratuit, jusqu’au { $end }
storage-vat = TVA { $rate } %
storage-total = Total sur votre prochaine facture
storage-proration-rule = La part correspond au prix mensuel multiplié par le nombre de jours restants (aujourd'hui compris), divisé par le nombre de jours de la période, arrondi au centime.
storage-confirm = Ajouter et payer sur la prochaine facture
storage-back = Retour au stockage
storage-added-title = Stockage ajouté
storage-added-text = { $name } est disponible dès maintenant. { $amount } figurera sur votre prochaine facture.
storage-removed-title = Pack de stockage retiré
storage-removed-text = Le pack reste disponible jusqu'au { $date }.
storage-switched-title = Pack de stockage modifié
storage-switched-text = La modification prend effet le { $date }.

## Résiliation
cancel-title = Résilier l'abonnement
cancel-text = Votre abonnement s'arrête à la fin de la période en cours, le { $date }. D'ici là, tout continue de fonctionner, et vous pouvez changer d'avis jusqu'à cette date.
cancel-confirm = Résilier l'abonnement
cancel-keep = Conserver mon abonnement
cancel-done-title = Abonnement résilié
cancel-done-text = Votre abonnement prend fin le { $date }. D'ici là, tout continue de fonctionner.

## Units
gigabytes = { $gb } Go

## Back-office : catalogue
backoffice-catalog = Catalogue et prix
catalog-plan = Offre
catalog-price = Prix mensuel
catalog-currency = Devise
catalog-valid-from = Valable à partir du
catalog-add-price = Ajouter un prix
catalog-add-price-rule = Un nouveau prix s’applique à partir de la première période de facturation qui commence à sa date ou après. Les prix ne sont jamais modifiés ni supprimés, et les factures émises conservent les leurs.
catalog-price-added = Le prix a été ajouté.
catalog-price-invalid = Veuillez saisir un code de devise, un montant comme 1,20 et une date.

## Notices by email
email-cancel-subject = Votre abonnement prend fin le { $date }
email-cancel-action = Voir mon compte
