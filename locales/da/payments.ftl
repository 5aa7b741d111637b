## Betalinger: indbetalinger, kontoudtog, afstemningskøen

invoices-state = Status
invoices-open-amount = Mangler at blive betalt: { $amount }
invoice-state-open = Åben
invoice-state-overdue = Forfalden
invoice-state-partly-paid = Delvist betalt
invoice-state-paid = Betalt
invoice-state-credited = Krediteret

payment-unknown-invoice = Fakturaen findes ikke.
payment-not-the-customers = Fakturaen tilhører en anden kunde.
payment-currency-mismatch = Betalingen er i en anden valuta end fakturaen.
payment-bad-amount = Beløbet kan ikke betales: det skal være positivt og angivet i hele øre.
payment-key-conflict = Betalingen er tidligere registreret med andre oplysninger.
payment-unknown-receipt = Betalingen findes ikke.
payment-already-reversed = Betalingen er allerede tilbageført.
payment-not-reversible = Denne postering er selv en tilbageførsel og kan ikke tilbageføres.

camt-malformed = filen er ikke velformet XML
camt-truncated = filen slutter midt i dokumentet
camt-namespace = dette er ikke en camt.053- eller camt.054-meddelelse i en understøttet version (001.02, 001.04, 001.08)
camt-structure = et element mangler eller står det forkerte sted
camt-amount = et beløb er ikke et tal
camt-amount-negative = et beløb er negativt
camt-amount-decimals = et beløb har flere decimaler, end valutaen tillader
camt-currency = et beløb er i en ukendt valuta
camt-date = en dato er ugyldig
camt-code = en kode findes ikke i standarden
camt-too-deep = elementerne er indlejret for dybt
camt-too-long = en tekst, et tag eller en liste er længere end tilladt
camt-io = filen kunne ikke læses

bank-title = Kontoudtog
bank-import-heading = Importér et kontoudtog
bank-import-intro = Upload et camt.053-kontoudtog eller en camt.054-advisering fra banken. En fil bogføres enten helt eller slet ikke; posteringer, der allerede er importeret, genkendes og bogføres ikke to gange.
bank-import-file = Kontoudtogsfil (XML)
bank-import-button = Importér
bank-import-refused = Filen blev afvist, og intet blev bogført. Linje { $line }: { $reason }.
bank-import-summary = Indlæste posteringer: { $read }, heraf nye: { $new } (betalt: { $paid }, delvist betalt: { $partly }, overbetalt: { $overpaid } – det overskydende bliver kundens tilgodehavende, venter i afstemningskøen: { $unmatched }). Tidligere importeret: { $already }, returneringer, der har tilbageført en betaling: { $returned }, ikke bogført: { $ignored }.
bank-upload-missing = Vælg en kontoudtogsfil, der skal importeres.
bank-upload-too-large = Filen er for stor til browseren; importér den med »kontor bank import«.
bank-unreadable = Kontoudtoget kan ikke læses.
bank-queue-heading = Afstemningskø
bank-queue-empty = Intet venter: alle indbetalinger er afstemt.
bank-date = Bogført
bank-amount = Beløb
bank-payer = Indbetaler
bank-text = Posteringstekst
bank-suggestions = Sandsynlige kunder
bank-actions = Tilknyt
bank-suggestion-name = samme navn
bank-suggestion-iban = har tidligere betalt fra denne IBAN
bank-no-suggestion = Intet forslag
bank-assign-this = Tilknyt her
bank-to-invoices = Fakturanumre
bank-to-credit = Som kundens tilgodehavende (kundenummer)
bank-assign = Tilknyt
bank-refund = Markér til tilbagebetaling
bank-marked-refund = Markeret til tilbagebetaling til indbetaleren.
bank-undo = Fortryd
bank-assigned = Indbetalingen er tilknyttet og bogført.
bank-refund-marked = Indbetalingen er markeret til tilbagebetaling.
bank-undone = Fortrudt: indbetalingen er tilbage i afstemningskøen.
bank-unknown-transaction = Banktransaktionen findes ikke.
bank-not-in-queue = Indbetalingen venter ikke længere i afstemningskøen.
bank-nothing-to-undo = Der er intet at fortryde for denne indbetaling.
bank-unknown-invoice = Der findes ingen faktura med det nummer.
bank-unknown-customer = Der findes ingen kunde med det nummer.
bank-nothing-to-assign = Angiv mindst ét fakturanummer eller en kunde.
bank-several-customers = Fakturaerne tilhører forskellige kunder; tilknyt dem én kunde ad gangen.
bank-no-account = kontoudtoget angiver ingen konto (Acct/Id/IBAN)
bank-foreign-account = kontoudtoget gælder konto { $iban }, som ikke er en af vores konti
bank-foreign-currency = en postering i { $currency } på konto { $iban }, som føres i { $account_currency }

## Sådan betaler du (én beslutning for fakturasiden, pdf'en og e-mails)
pay-transfer = Overfør venligst { $amount } senest { $date } til { $holder }, IBAN { $iban }, BIC { $bic }, og angiv referencen { $reference }.
pay-transfer-no-bic = Overfør venligst { $amount } senest { $date } til { $holder }, IBAN { $iban }, og angiv referencen { $reference }.
pay-qr-bill-attached = Betal venligst { $amount } senest { $date } med QR-betalingsdelen på den vedhæftede faktura, eller overfør beløbet til { $holder }, IBAN { $iban }, og angiv referencen { $reference }.
pay-qr-bill-page = Du kan også betale med QR-betalingsdelen sidst i fakturaen (pdf).
# A domestic transfer in Sweden, Norway or Denmark, after the IBAN sentence.
pay-domestic-bankgiro = Fra en svensk konto: bankgiro { $account }, OCR-nummer { $reference }.
pay-domestic-kid = Fra en norsk konto: kontonummer { $account }, KID { $reference }.
pay-domestic-fik = Fra en dansk konto: betal med indbetalingskortet (FIK) { $line }.
