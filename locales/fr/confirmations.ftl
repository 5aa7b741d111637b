# Emails that confirm a change
email-free-month-subject = Votre mois gratuit a commencé
email-free-month-text = Votre mois gratuit court jusqu’au { $date } inclus et ne coûte rien. Ensuite, la boîte mail coûte { $price } par mois, sauf si vous résiliez avant.
email-pack-added-subject = Pack de stockage ajouté
email-pack-added-text = { $name } fait partie de votre abonnement depuis le { $date }, pour { $price } par mois.
email-pack-removed-subject = Pack de stockage retiré
email-pack-removed-text = { $name } prend fin le { $date } inclus et n’est plus facturé ensuite.
email-mandate-subject = Votre mandat de prélèvement SEPA { $reference }
email-mandate-intro = Le { $date }, vous avez signé ce mandat de prélèvement SEPA pour votre compte dont l’IBAN se termine par { $iban } :
email-mandate-text = { $text }
email-mandate-creditor = Créancier : { $creditor } (identifiant créancier { $creditor_id }).
email-mandate-action = Voir mes moyens de paiement
email-paid-subject = La facture { $number } est payée
email-paid-text = Merci ! La facture { $number } a été entièrement payée le { $date } ({ $amount }).
email-paid-method = Payé par : { $method }
email-paid-action = Voir le reçu de paiement
