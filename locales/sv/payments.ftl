## Betalningar: inbetalningar, kontoutdrag, avstämningskön

invoices-state = Status
invoices-open-amount = Kvar att betala: { $amount }
invoice-state-open = Obetald
invoice-state-overdue = Förfallen
invoice-state-partly-paid = Delbetald
invoice-state-paid = Betald
invoice-state-credited = Krediterad

payment-unknown-invoice = Fakturan finns inte.
payment-not-the-customers = Fakturan tillhör en annan kund.
payment-currency-mismatch = Betalningen är i en annan valuta än fakturan.
payment-bad-amount = Beloppet kan inte betalas: det måste vara positivt och anges i hela ören.
payment-key-conflict = Betalningen har registrerats tidigare med andra uppgifter.
payment-unknown-receipt = Betalningen finns inte.
payment-already-reversed = Betalningen har redan återförts.
payment-not-reversible = Den här posten är själv en återföring och kan inte återföras.

camt-malformed = filen är inte välformad XML
camt-truncated = filen tar slut mitt i dokumentet
camt-namespace = det här är inte ett camt.053- eller camt.054-meddelande i en version som stöds (001.02, 001.04, 001.08)
camt-structure = ett element saknas eller står på fel plats
camt-amount = ett belopp är inte ett tal
camt-amount-negative = ett belopp är negativt
camt-amount-decimals = ett belopp har fler decimaler än valutan tillåter
camt-currency = ett belopp är i en okänd valuta
camt-date = ett datum är ogiltigt
camt-code = en kod finns inte i standarden
camt-too-deep = elementen är för djupt nästlade
camt-too-long = en text, en tagg eller en lista är längre än tillåtet
camt-io = filen kunde inte läsas

bank-title = Kontoutdrag
bank-import-heading = Importera ett kontoutdrag
bank-import-intro = Ladda upp ett kontoutdrag i camt.053-format eller en camt.054-avisering från banken. En fil bokförs antingen helt eller inte alls; transaktioner som redan har importerats känns igen och bokförs inte två gånger.
bank-import-file = Kontoutdragsfil (XML)
bank-import-button = Importera
bank-import-refused = Filen avvisades och ingenting bokfördes. Rad { $line }: { $reason }.
bank-import-summary = Lästa transaktioner: { $read }, varav nya: { $new } (betalda: { $paid }, delbetalda: { $partly }, överbetalda: { $overpaid } – överskottet blir kundens tillgodohavande, väntar i avstämningskön: { $unmatched }). Redan importerade: { $already }, returer som har återfört en betalning: { $returned }, ej bokförda: { $ignored }.
bank-upload-missing = Välj en kontoutdragsfil att importera.
bank-upload-too-large = Filen är för stor för webbläsaren; importera den med ”kontor bank import”.
bank-unreadable = Kontoutdraget kan inte läsas.
bank-queue-heading = Avstämningskö
bank-queue-empty = Inget väntar: alla inbetalningar är kopplade.
bank-date = Bokföringsdag
bank-amount = Belopp
bank-payer = Betalare
bank-text = Meddelande
bank-suggestions = Troliga kunder
bank-actions = Koppla
bank-suggestion-name = samma namn
bank-suggestion-iban = har tidigare betalat från detta IBAN
bank-no-suggestion = Inget förslag
bank-assign-this = Koppla hit
bank-to-invoices = Fakturanummer
bank-to-credit = Som kundens tillgodohavande (kundnummer)
bank-assign = Koppla
bank-refund = Markera för återbetalning
bank-marked-refund = Markerad för återbetalning till betalaren.
bank-undo = Ångra
bank-assigned = Inbetalningen är kopplad och bokförd.
bank-refund-marked = Inbetalningen är markerad för återbetalning.
bank-undone = Ångrat: inbetalningen ligger åter i avstämningskön.
bank-unknown-transaction = Banktransaktionen finns inte.
bank-not-in-queue = Inbetalningen väntar inte längre i avstämningskön.
bank-nothing-to-undo = Det finns inget att ångra för den här inbetalningen.
bank-unknown-invoice = Det finns ingen faktura med det numret.
bank-unknown-customer = Det finns ingen kund med det numret.
bank-nothing-to-assign = Ange minst ett fakturanummer eller en kund.
bank-several-customers = Fakturorna tillhör olika kunder; koppla dem till en kund i taget.
bank-no-account = kontoutdraget anger inget konto (Acct/Id/IBAN)
bank-foreign-account = kontoutdraget gäller konto { $iban }, som inte är ett av våra konton
bank-foreign-currency = en post i { $currency } på konto { $iban }, som förs i { $account_currency }

## Så betalar du (ett beslut för fakturasidan, pdf:en och e-posten)
pay-transfer = Överför { $amount } senast { $date } till { $holder }, IBAN { $iban }, BIC { $bic }, och ange referensen { $reference }.
pay-transfer-no-bic = Överför { $amount } senast { $date } till { $holder }, IBAN { $iban }, och ange referensen { $reference }.
pay-qr-bill-attached = Betala { $amount } senast { $date } med QR-betalningsdelen på den bifogade fakturan, eller överför beloppet till { $holder }, IBAN { $iban }, och ange referensen { $reference }.
pay-qr-bill-page = Du kan också betala med QR-betalningsdelen i slutet av fakturan (pdf).
# A domestic transfer in Sweden, Norway or Denmark, after the IBAN sentence.
pay-domestic-bankgiro = Från ett svenskt konto: bankgiro { $account }, OCR-nummer { $reference }.
pay-domestic-kid = Från ett norskt konto: kontonummer { $account }, KID { $reference }.
pay-domestic-fik = Från ett danskt konto: betala med inbetalningskortet (FI-kort) { $line }.
