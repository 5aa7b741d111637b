## Betalinger: innbetalinger, kontoutskrifter, avstemmingskøen

invoices-state = Status
invoices-open-amount = Gjenstår å betale: { $amount }
invoice-state-open = Åpen
invoice-state-overdue = Forfalt
invoice-state-partly-paid = Delvis betalt
invoice-state-paid = Betalt
invoice-state-credited = Kreditert

payment-unknown-invoice = Fakturaen finnes ikke.
payment-not-the-customers = Fakturaen tilhører en annen kunde.
payment-currency-mismatch = Betalingen er i en annen valuta enn fakturaen.
payment-bad-amount = Beløpet kan ikke betales: det må være positivt og oppgitt i hele øre.
payment-key-conflict = Betalingen er registrert tidligere med andre opplysninger.
payment-unknown-receipt = Betalingen finnes ikke.
payment-already-reversed = Betalingen er allerede tilbakeført.
payment-not-reversible = Denne posteringen er selv en tilbakeføring og kan ikke tilbakeføres.

camt-malformed = filen er ikke velformet XML
camt-truncated = filen slutter midt i dokumentet
camt-namespace = dette er ikke en camt.053- eller camt.054-melding i en støttet versjon (001.02, 001.04, 001.08)
camt-structure = et element mangler eller står på feil sted
camt-amount = et beløp er ikke et tall
camt-amount-negative = et beløp er negativt
camt-amount-decimals = et beløp har flere desimaler enn valutaen tillater
camt-currency = et beløp er i en ukjent valuta
camt-date = en dato er ugyldig
camt-code = en kode finnes ikke i standarden
camt-too-deep = elementene er nestet for dypt
camt-too-long = en tekst, en tagg eller en liste er lengre enn tillatt
camt-io = filen kunne ikke leses

bank-title = Kontoutskrifter
bank-import-heading = Importer en kontoutskrift
bank-import-intro = Last opp en camt.053-kontoutskrift eller en camt.054-avisering fra banken. En fil bokføres enten i sin helhet eller ikke i det hele tatt; transaksjoner som allerede er importert, gjenkjennes og bokføres ikke to ganger.
bank-import-file = Kontoutskriftsfil (XML)
bank-import-button = Importer
bank-import-refused = Filen ble avvist, og ingenting ble bokført. Linje { $line }: { $reason }.
bank-import-summary = Leste transaksjoner: { $read }, hvorav nye: { $new } (betalt: { $paid }, delvis betalt: { $partly }, overbetalt: { $overpaid } – det overskytende blir kundens tilgodehavende, venter i avstemmingskøen: { $unmatched }). Importert tidligere: { $already }, returer som har tilbakeført en betaling: { $returned }, ikke bokført: { $ignored }.
bank-upload-missing = Velg en kontoutskriftsfil som skal importeres.
bank-upload-too-large = Filen er for stor for nettleseren; importer den med «kontor bank import».
bank-unreadable = Kontoutskriften kan ikke leses.
bank-queue-heading = Avstemmingskø
bank-queue-empty = Ingenting venter: alle innbetalinger er avstemt.
bank-date = Bokført
bank-amount = Beløp
bank-payer = Innbetaler
bank-text = Melding
bank-suggestions = Sannsynlige kunder
bank-actions = Koble
bank-suggestion-name = samme navn
bank-suggestion-iban = har tidligere betalt fra denne IBAN-en
bank-no-suggestion = Ingen forslag
bank-assign-this = Koble hit
bank-to-invoices = Fakturanumre
bank-to-credit = Som kundens tilgodehavende (kundenummer)
bank-assign = Koble
bank-refund = Merk for tilbakebetaling
bank-marked-refund = Merket for tilbakebetaling til innbetaleren.
bank-undo = Angre
bank-assigned = Innbetalingen er koblet og bokført.
bank-refund-marked = Innbetalingen er merket for tilbakebetaling.
bank-undone = Angret: innbetalingen er tilbake i avstemmingskøen.
bank-unknown-transaction = Banktransaksjonen finnes ikke.
bank-not-in-queue = Innbetalingen venter ikke lenger i avstemmingskøen.
bank-nothing-to-undo = Det er ingenting å angre for denne innbetalingen.
bank-unknown-invoice = Det finnes ingen faktura med det nummeret.
bank-unknown-customer = Det finnes ingen kunde med det nummeret.
bank-nothing-to-assign = Oppgi minst ett fakturanummer eller en kunde.
bank-several-customers = Fakturaene tilhører ulike kunder; koble dem til én kunde om gangen.
bank-no-account = kontoutskriften oppgir ingen konto (Acct/Id/IBAN)
bank-foreign-account = kontoutskriften gjelder konto { $iban }, som ikke er en av våre kontoer
bank-foreign-currency = en postering i { $currency } på konto { $iban }, som føres i { $account_currency }

## Slik betaler du (én beslutning for fakturasiden, PDF-en og e-postene)
pay-transfer = Vennligst overfør { $amount } innen { $date } til { $holder }, IBAN { $iban }, BIC { $bic }, og oppgi referansen { $reference }.
pay-transfer-no-bic = Vennligst overfør { $amount } innen { $date } til { $holder }, IBAN { $iban }, og oppgi referansen { $reference }.
pay-qr-bill-attached = Vennligst betal { $amount } innen { $date } med QR-betalingsdelen på den vedlagte fakturaen, eller overfør beløpet til { $holder }, IBAN { $iban }, og oppgi referansen { $reference }.
pay-qr-bill-page = Du kan også betale med QR-betalingsdelen sist i fakturaen (PDF).
# A domestic transfer in Sweden, Norway or Denmark, after the IBAN sentence.
pay-domestic-bankgiro = Fra en svensk konto: bankgiro { $account }, OCR-nummer { $reference }.
pay-domestic-kid = Fra en norsk konto: kontonummer { $account }, KID { $reference }.
pay-domestic-fik = Fra en dansk konto: betal med innbetalingskortet (FI-kort) { $line }.
