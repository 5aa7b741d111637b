## Paiements : encaissements, relevés bancaires, paiements à rapprocher

invoices-state = Statut
invoices-open-amount = Reste à payer : { $amount }
invoice-state-open = Ouverte
invoice-state-overdue = En retard
invoice-state-partly-paid = Partiellement payée
invoice-state-paid = Payée
invoice-state-credited = Soldée par avoir

payment-unknown-invoice = Cette facture n'existe pas.
payment-not-the-customers = La facture appartient à un autre client.
payment-currency-mismatch = Le paiement n'est pas dans la même devise que la facture.
payment-bad-amount = Ce montant ne peut pas être payé : il doit être positif et exprimé en centimes entiers.
payment-key-conflict = Ce paiement a déjà été enregistré avec des informations différentes.
payment-unknown-receipt = Ce paiement n'existe pas.
payment-already-reversed = Ce paiement a déjà été contrepassé.
payment-not-reversible = Cette écriture est elle-même une contrepassation et ne peut pas être contrepassée.

camt-malformed = le fichier n'est pas un document XML bien formé
camt-truncated = le fichier s'interrompt au milieu du document
camt-namespace = il ne s'agit pas d'un message camt.053 ou camt.054 dans une version prise en charge (001.02, 001.04, 001.08)
camt-structure = un élément est manquant ou mal placé
camt-amount = un montant n'est pas un nombre
camt-amount-negative = un montant est négatif
camt-amount-decimals = un montant comporte plus de décimales que sa devise n'en autorise
camt-currency = un montant est libellé dans une devise inconnue
camt-date = une date n'est pas valide
camt-code = un code ne figure pas parmi ceux prévus par la norme
camt-too-deep = les éléments sont imbriqués trop profondément
camt-too-long = un texte, une balise ou une liste dépasse la longueur autorisée
camt-io = le fichier n'a pas pu être lu

bank-title = Relevés bancaires
bank-import-heading = Importer un relevé
bank-import-intro = Importez un relevé de compte camt.053 ou un avis d'opération camt.054 fourni par votre banque. Un fichier est comptabilisé en totalité ou pas du tout ; les mouvements déjà importés sont reconnus et ne sont pas comptabilisés deux fois.
bank-import-file = Fichier de relevé (XML)
bank-import-button = Importer
bank-import-refused = Le fichier a été refusé et aucune écriture n'a été passée. Ligne { $line } : { $reason }.
bank-import-summary = Opérations lues : { $read }, dont nouvelles : { $new } (paiement complet : { $paid }, paiement partiel : { $partly }, trop-perçu : { $overpaid } – le surplus est porté au crédit du client, en attente de rapprochement : { $unmatched }). Déjà importées : { $already }, retours ayant annulé un paiement : { $returned }, non comptabilisées : { $ignored }.
bank-upload-missing = Veuillez choisir un fichier de relevé à importer.
bank-upload-too-large = Le fichier est trop volumineux pour le navigateur ; importez-le avec « kontor bank import ».
bank-unreadable = Le relevé ne peut pas être lu.
bank-queue-heading = Paiements à rapprocher
bank-queue-empty = Rien en attente : tous les virements sont affectés.
bank-date = Date comptable
bank-amount = Montant
bank-payer = Donneur d'ordre
bank-text = Libellé
bank-suggestions = Clients probables
bank-actions = Affectation
bank-suggestion-name = même nom
bank-suggestion-iban = a déjà payé depuis cet IBAN
bank-no-suggestion = Aucune suggestion
bank-assign-this = Retenir cette suggestion
bank-to-invoices = Numéros de facture
bank-to-credit = Au crédit du compte client (numéro client)
bank-assign = Affecter
bank-refund = Marquer pour remboursement
bank-marked-refund = Marqué pour remboursement au donneur d'ordre.
bank-undo = Annuler
bank-assigned = Le virement a été affecté et comptabilisé.
bank-refund-marked = Le virement a été marqué pour remboursement.
bank-undone = Annulé : le virement est de nouveau en attente de rapprochement.
bank-unknown-transaction = Cette opération bancaire n'existe pas.
bank-not-in-queue = Ce virement n'est plus en attente de rapprochement.
bank-nothing-to-undo = Il n'y a rien à annuler pour ce virement.
bank-unknown-invoice = Aucune facture ne porte ce numéro.
bank-unknown-customer = Aucun client ne porte ce numéro.
bank-nothing-to-assign = Veuillez indiquer au moins un numéro de facture ou un client.
bank-several-customers = Les factures appartiennent à des clients différents ; affectez-les un client à la fois.
bank-no-account = le relevé n’indique aucun compte (Acct/Id/IBAN)
bank-foreign-account = le relevé concerne le compte { $iban }, qui n’est pas l’un de nos comptes
bank-foreign-currency = une écriture en { $currency } sur le compte { $iban }, tenu en { $account_currency }

## Comment payer (une seule décision pour la page de la facture, son PDF et ses e-mails)
pay-transfer = Veuillez virer { $amount } avant le { $date } à { $holder }, IBAN { $iban }, BIC { $bic }, en indiquant la référence { $reference }.
pay-transfer-no-bic = Veuillez virer { $amount } avant le { $date } à { $holder }, IBAN { $iban }, en indiquant la référence { $reference }.
pay-qr-bill-attached = Merci de régler { $amount } avant le { $date } avec la section paiement QR de la facture jointe, ou de virer le montant à { $holder }, IBAN { $iban }, en indiquant la référence { $reference }.
pay-qr-bill-page = Vous pouvez aussi payer avec la section paiement QR à la fin de la facture PDF.
# A domestic transfer in Sweden, Norway or Denmark, after the IBAN sentence.
pay-domestic-bankgiro = Depuis un compte suédois : bankgiro { $account }, numéro OCR { $reference }.
pay-domestic-kid = Depuis un compte norvégien : numéro de compte { $account }, KID { $reference }.
pay-domestic-fik = Depuis un compte danois : payez avec le bulletin de paiement (FI-kort) { $line }.
