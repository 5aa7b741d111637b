## Mailzustellung im Backoffice.

mail-undeliverable-title = Unzustellbare E-Mails
mail-undeliverable-intro = Diese E-Mails hat der empfangende Mailserver abgelehnt, oder sie konnten nach wiederholten Versuchen nicht zugestellt werden. Sie werden erst wieder gesendet, wenn Sie sie erneut einreihen, etwa nachdem die Adresse des Kunden korrigiert wurde.
mail-undeliverable-none = Keine unzustellbaren E-Mails.
mail-failed-at = Fehlgeschlagen am
mail-recipient = Empfänger
mail-subject = Betreff
mail-attempts = Versuche
mail-error = Letzter Fehler
mail-retry = Erneut senden
mail-retry-queued = Die E-Mail ist wieder eingereiht und wird in Kürze gesendet.
mail-retry-unknown = Diese E-Mail gehört nicht zu den unzustellbaren.
