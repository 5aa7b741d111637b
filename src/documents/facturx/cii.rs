//! The Cross Industry Invoice (UN/CEFACT D16B, EN 16931 profile) of an issued document, in the
//! element order the Factur-X 1.09 schema prescribes. Everything comes from the frozen
//! document, so the same invoice always gives the same bytes.

use chrono::{Days, NaiveDate};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use rust_decimal::Decimal;

use super::FacturxError;
use crate::documents::how_to_pay::{HowToPay, Transfer};
use crate::documents::model::{InvoiceDocument, Kind, Party};
use crate::documents::payment::seller_address;
use crate::money::Money;

const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
const RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
const QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

/// Which specification the XML declares it follows (BT-24).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guideline {
    /// Factur-X / ZUGFeRD, EN 16931 ("COMFORT") profile.
    En16931,
    /// XRechnung 3.0, the German public sector's CIUS of EN 16931.
    XRechnung,
}

impl Guideline {
    pub fn id(self) -> &'static str {
        match self {
            Guideline::En16931 => "urn:cen.eu:en16931:2017",
            Guideline::XRechnung => "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
        }
    }
}

/// The EN 16931 VAT category of a document's rows, from the treatment it was issued under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Standard,
    ZeroRated,
    ReverseCharge,
    OutsideScope,
}

impl Category {
    fn of(treatment: &str, rate: Decimal) -> Category {
        match treatment {
            "reverse_charge" => Category::ReverseCharge,
            "outside_eu" => Category::OutsideScope,
            _ if rate.is_zero() => Category::ZeroRated,
            _ => Category::Standard,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Category::Standard => "S",
            Category::ZeroRated => "Z",
            Category::ReverseCharge => "AE",
            Category::OutsideScope => "O",
        }
    }

    /// The VATEX code and the English text a buyer's system shows when no note was printed.
    fn exemption(self) -> Option<(&'static str, &'static str)> {
        match self {
            Category::ReverseCharge => Some(("VATEX-EU-AE", "Reverse charge")),
            Category::OutsideScope => Some(("VATEX-EU-O", "Not subject to VAT")),
            Category::Standard | Category::ZeroRated => None,
        }
    }
}

/// The CII XML of `doc`. `seller_country` is the ISO code of the seller's address, which the
/// snapshot prints only as a name.
pub fn cii_xml(
    doc: &InvoiceDocument,
    seller_country: &str,
    guideline: Guideline,
) -> Result<Vec<u8>, FacturxError> {
    check_totals(doc)?;
    let mut cii = Cii { w: Writer::new(Vec::with_capacity(8 * 1024)) };
    cii.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root = BytesStart::new("rsm:CrossIndustryInvoice").with_attributes([
        ("xmlns:rsm", RSM),
        ("xmlns:ram", RAM),
        ("xmlns:qdt", QDT),
        ("xmlns:udt", UDT),
    ]);
    cii.w.write_event(Event::Start(root))?;
    cii.open("rsm:ExchangedDocumentContext")?;
    cii.open("ram:GuidelineSpecifiedDocumentContextParameter")?;
    cii.leaf("ram:ID", guideline.id())?;
    cii.close("ram:GuidelineSpecifiedDocumentContextParameter")?;
    cii.close("rsm:ExchangedDocumentContext")?;

    cii.open("rsm:ExchangedDocument")?;
    cii.leaf("ram:ID", &doc.number)?;
    cii.leaf("ram:TypeCode", if doc.kind == Kind::CreditNote { "381" } else { "380" })?;
    cii.date("ram:IssueDateTime", doc.issue_date)?;
    for note in doc.reason.iter().chain(doc.vat_note.iter()) {
        cii.open("ram:IncludedNote")?;
        cii.leaf("ram:Content", note)?;
        cii.close("ram:IncludedNote")?;
    }
    cii.close("rsm:ExchangedDocument")?;

    cii.open("rsm:SupplyChainTradeTransaction")?;
    for (index, line) in doc.lines.iter().enumerate() {
        cii.line(doc, index + 1, line)?;
    }
    let outside_scope = doc.vat_rows.iter().any(|r| category(doc, r.rate) == Category::OutsideScope);
    cii.agreement(doc, seller_country, guideline, outside_scope)?;
    cii.open("ram:ApplicableHeaderTradeDelivery")?;
    cii.close("ram:ApplicableHeaderTradeDelivery")?;
    cii.settlement(doc)?;
    cii.close("rsm:SupplyChainTradeTransaction")?;
    cii.close("rsm:CrossIndustryInvoice")?;
    Ok(cii.w.into_inner())
}

fn category(doc: &InvoiceDocument, rate: Decimal) -> Category {
    Category::of(&doc.vat_treatment, rate)
}

/// The totals EN 16931 recomputes (BR-CO-10, -15, -16): a document whose booked totals do not
/// add up would be rejected by the buyer's system, so it is refused here, where it is a bug.
fn check_totals(doc: &InvoiceDocument) -> Result<(), FacturxError> {
    let lines: Decimal = doc.lines.iter().map(|l| l.net.amount()).sum();
    let rows_net: Decimal = doc.vat_rows.iter().map(|r| r.net.amount()).sum();
    let rows_vat: Decimal = doc.vat_rows.iter().map(|r| r.vat.amount()).sum();
    let net = doc.net.amount();
    let problems = [
        (lines != net, "line nets do not add up to the net total"),
        (rows_net != net, "the VAT breakdown's bases do not add up to the net total"),
        (rows_vat != doc.vat.amount(), "the VAT breakdown does not add up to the VAT total"),
        (net + doc.vat.amount() != doc.gross.amount(), "net and VAT do not add up to the gross total"),
        (
            doc.gross.amount() - doc.credit_applied.amount() != doc.amount_due.amount(),
            "gross less credit applied is not the amount due",
        ),
        (doc.vat_rows.is_empty(), "no VAT breakdown"),
    ];
    match problems.iter().find(|(wrong, _)| *wrong) {
        Some((_, why)) => Err(FacturxError::Unrepresentable(format!("{}: {why}", doc.number))),
        None => Ok(()),
    }
}

/// Amounts as EN 16931 wants them: a dot and two decimals (BR-DEC-*).
fn amount(money: Money) -> String {
    format!("{:.2}", money.amount().round_dp(2))
}

fn decimal(value: Decimal) -> String {
    value.normalize().to_string()
}

fn yyyymmdd(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

struct Cii {
    w: Writer<Vec<u8>>,
}

impl Cii {
    fn open(&mut self, name: &str) -> std::io::Result<()> {
        self.w.write_event(Event::Start(BytesStart::new(name)))
    }

    fn close(&mut self, name: &str) -> std::io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    fn leaf(&mut self, name: &str, text: &str) -> std::io::Result<()> {
        self.w.create_element(name).write_text_content(BytesText::new(text))?;
        Ok(())
    }

    fn leaf_with(&mut self, name: &str, attribute: (&str, &str), text: &str) -> std::io::Result<()> {
        self.w.create_element(name).with_attribute(attribute).write_text_content(BytesText::new(text))?;
        Ok(())
    }

    fn date(&mut self, name: &str, date: NaiveDate) -> std::io::Result<()> {
        self.open(name)?;
        self.leaf_with("udt:DateTimeString", ("format", "102"), &yyyymmdd(date))?;
        self.close(name)
    }

    fn tax(&mut self, category: Category, rate: Decimal) -> std::io::Result<()> {
        self.leaf("ram:TypeCode", "VAT")?;
        self.leaf("ram:CategoryCode", category.code())?;
        // BR-O-05: outside the scope of VAT there is no rate at all.
        if category != Category::OutsideScope {
            self.leaf("ram:RateApplicablePercent", &decimal(rate))?;
        }
        Ok(())
    }

    fn line(
        &mut self,
        doc: &InvoiceDocument,
        number: usize,
        line: &crate::documents::model::Line,
    ) -> std::io::Result<()> {
        self.open("ram:IncludedSupplyChainTradeLineItem")?;
        self.open("ram:AssociatedDocumentLineDocument")?;
        self.leaf("ram:LineID", &number.to_string())?;
        self.close("ram:AssociatedDocumentLineDocument")?;
        self.open("ram:SpecifiedTradeProduct")?;
        self.leaf("ram:Name", &line.description)?;
        self.close("ram:SpecifiedTradeProduct")?;
        // BR-27 forbids a negative price: a credit line (a proration, a refund) is a negative
        // quantity at its positive price.
        let negative = line.net.is_negative();
        let quantity = if negative { -line.quantity.abs() } else { line.quantity };
        self.open("ram:SpecifiedLineTradeAgreement")?;
        self.open("ram:NetPriceProductTradePrice")?;
        self.leaf("ram:ChargeAmount", &decimal(line.unit_price.amount().abs()))?;
        self.close("ram:NetPriceProductTradePrice")?;
        self.close("ram:SpecifiedLineTradeAgreement")?;
        self.open("ram:SpecifiedLineTradeDelivery")?;
        self.leaf_with("ram:BilledQuantity", ("unitCode", "C62"), &decimal(quantity))?;
        self.close("ram:SpecifiedLineTradeDelivery")?;
        self.open("ram:SpecifiedLineTradeSettlement")?;
        self.open("ram:ApplicableTradeTax")?;
        self.tax(category(doc, line.vat_rate), line.vat_rate)?;
        self.close("ram:ApplicableTradeTax")?;
        self.open("ram:SpecifiedTradeSettlementLineMonetarySummation")?;
        self.leaf("ram:LineTotalAmount", &amount(line.net))?;
        self.close("ram:SpecifiedTradeSettlementLineMonetarySummation")?;
        self.close("ram:SpecifiedLineTradeSettlement")?;
        self.close("ram:IncludedSupplyChainTradeLineItem")
    }

    fn agreement(
        &mut self,
        doc: &InvoiceDocument,
        seller_country: &str,
        guideline: Guideline,
        outside_scope: bool,
    ) -> std::io::Result<()> {
        self.open("ram:ApplicableHeaderTradeAgreement")?;
        if guideline == Guideline::XRechnung || !doc.customer_number.is_empty() {
            // XRechnung requires the buyer reference (BR-DE-15); the customer number is the
            // reference the buyer's accounts payable knows Kontor's invoices by.
            self.leaf("ram:BuyerReference", &doc.customer_number)?;
        }
        let seller = &doc.seller;
        let address = seller_address(seller, seller_country);
        self.open("ram:SellerTradeParty")?;
        self.leaf("ram:Name", &seller.name)?;
        if !seller.register.trim().is_empty() {
            self.open("ram:SpecifiedLegalOrganization")?;
            self.leaf("ram:ID", &seller.register)?;
            self.close("ram:SpecifiedLegalOrganization")?;
        }
        self.open("ram:PostalTradeAddress")?;
        if !address.postal_code.is_empty() {
            self.leaf("ram:PostcodeCode", &address.postal_code)?;
        }
        let street = format!("{} {}", address.street, address.building);
        self.leaf("ram:LineOne", street.trim())?;
        self.leaf("ram:CityName", &address.town)?;
        self.leaf("ram:CountryID", seller_country)?;
        self.close("ram:PostalTradeAddress")?;
        // BR-O-02: a supply outside the scope of VAT names no VAT identifiers.
        if !outside_scope && !seller.vat_id.is_empty() {
            self.tax_registration(&seller.vat_id)?;
        }
        self.close("ram:SellerTradeParty")?;
        self.buyer(&doc.customer, &doc.customer_email, outside_scope)?;
        self.close("ram:ApplicableHeaderTradeAgreement")
    }

    fn tax_registration(&mut self, vat_id: &str) -> std::io::Result<()> {
        self.open("ram:SpecifiedTaxRegistration")?;
        self.leaf_with("ram:ID", ("schemeID", "VA"), vat_id)?;
        self.close("ram:SpecifiedTaxRegistration")
    }

    fn buyer(&mut self, customer: &Party, email: &str, outside_scope: bool) -> std::io::Result<()> {
        self.open("ram:BuyerTradeParty")?;
        self.leaf("ram:Name", customer.company_name.as_deref().unwrap_or(&customer.name))?;
        self.open("ram:PostalTradeAddress")?;
        if !customer.postal_code.is_empty() {
            self.leaf("ram:PostcodeCode", &customer.postal_code)?;
        }
        if !customer.street.is_empty() {
            self.leaf("ram:LineOne", &customer.street)?;
        }
        if !customer.city.is_empty() {
            self.leaf("ram:CityName", &customer.city)?;
        }
        self.leaf("ram:CountryID", &customer.country)?;
        self.close("ram:PostalTradeAddress")?;
        if !email.is_empty() {
            self.open("ram:URIUniversalCommunication")?;
            self.leaf_with("ram:URIID", ("schemeID", "EM"), email)?;
            self.close("ram:URIUniversalCommunication")?;
        }
        if let Some(vat_id) = customer.vat_id.as_deref().filter(|_| !outside_scope) {
            self.tax_registration(vat_id)?;
        }
        self.close("ram:BuyerTradeParty")
    }

    fn settlement(&mut self, doc: &InvoiceDocument) -> std::io::Result<()> {
        self.open("ram:ApplicableHeaderTradeSettlement")?;
        let transfer = match &doc.how_to_pay {
            HowToPay::Transfer(transfer) => Some(transfer),
            _ => None,
        };
        if let Some(transfer) = transfer {
            self.leaf("ram:PaymentReference", transfer.reference.compact())?;
        }
        self.leaf("ram:InvoiceCurrencyCode", doc.currency.code())?;
        match &doc.how_to_pay {
            HowToPay::Transfer(transfer) => self.credit_transfer(transfer)?,
            HowToPay::DirectDebit(debit) => {
                self.open("ram:SpecifiedTradeSettlementPaymentMeans")?;
                self.leaf("ram:TypeCode", "59")?;
                self.open("ram:PayerPartyDebtorFinancialAccount")?;
                // Only the end of the debtor's IBAN was frozen, as the PDF prints it.
                self.leaf("ram:IBANID", &format!("****{}", debit.iban_ending))?;
                self.close("ram:PayerPartyDebtorFinancialAccount")?;
                self.close("ram:SpecifiedTradeSettlementPaymentMeans")?;
            }
            HowToPay::Nothing(_) => {}
        }
        for row in &doc.vat_rows {
            let category = category(doc, row.rate);
            self.open("ram:ApplicableTradeTax")?;
            self.leaf("ram:CalculatedAmount", &amount(row.vat))?;
            self.leaf("ram:TypeCode", "VAT")?;
            let exemption = category.exemption();
            if let Some((_, english)) = exemption {
                self.leaf("ram:ExemptionReason", doc.vat_note.as_deref().unwrap_or(english))?;
            }
            self.leaf("ram:BasisAmount", &amount(row.net))?;
            self.leaf("ram:CategoryCode", category.code())?;
            if let Some((code, _)) = exemption {
                self.leaf("ram:ExemptionReasonCode", code)?;
            }
            if category != Category::OutsideScope {
                self.leaf("ram:RateApplicablePercent", &decimal(row.rate))?;
            }
            self.close("ram:ApplicableTradeTax")?;
        }
        if let (Some(from), Some(until)) = (doc.service_from, doc.service_until) {
            // Stored exclusive; EN 16931's end date is the last day of service.
            let last = until.checked_sub_days(Days::new(1)).unwrap_or(until).max(from);
            self.open("ram:BillingSpecifiedPeriod")?;
            self.date("ram:StartDateTime", from)?;
            self.date("ram:EndDateTime", last)?;
            self.close("ram:BillingSpecifiedPeriod")?;
        }
        if doc.kind == Kind::Invoice {
            self.open("ram:SpecifiedTradePaymentTerms")?;
            self.date("ram:DueDateDateTime", doc.due_date)?;
            if let HowToPay::DirectDebit(debit) = &doc.how_to_pay {
                self.leaf("ram:DirectDebitMandateID", &debit.mandate_reference)?;
            }
            self.close("ram:SpecifiedTradePaymentTerms")?;
        }
        self.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")?;
        self.leaf("ram:LineTotalAmount", &amount(doc.net))?;
        self.leaf("ram:TaxBasisTotalAmount", &amount(doc.net))?;
        self.leaf_with("ram:TaxTotalAmount", ("currencyID", doc.currency.code()), &amount(doc.vat))?;
        self.leaf("ram:GrandTotalAmount", &amount(doc.gross))?;
        self.leaf("ram:TotalPrepaidAmount", &amount(doc.credit_applied))?;
        self.leaf("ram:DuePayableAmount", &amount(doc.amount_due))?;
        self.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation")?;
        if let Some(credited) = &doc.credited_number {
            self.open("ram:InvoiceReferencedDocument")?;
            self.leaf("ram:IssuerAssignedID", credited)?;
            self.close("ram:InvoiceReferencedDocument")?;
        }
        self.close("ram:ApplicableHeaderTradeSettlement")
    }

    fn credit_transfer(&mut self, transfer: &Transfer) -> std::io::Result<()> {
        self.open("ram:SpecifiedTradeSettlementPaymentMeans")?;
        // 58 is the SEPA credit transfer, which exists only in euro; others are plain transfers.
        let sepa = transfer.amount.currency() == iso_currency::Currency::EUR;
        self.leaf("ram:TypeCode", if sepa { "58" } else { "30" })?;
        self.open("ram:PayeePartyCreditorFinancialAccount")?;
        self.leaf("ram:IBANID", &transfer.iban)?;
        self.leaf("ram:AccountName", &transfer.holder)?;
        self.close("ram:PayeePartyCreditorFinancialAccount")?;
        if !transfer.bic.is_empty() {
            self.open("ram:PayeeSpecifiedCreditorFinancialInstitution")?;
            self.leaf("ram:BICID", &transfer.bic)?;
            self.close("ram:PayeeSpecifiedCreditorFinancialInstitution")?;
        }
        self.close("ram:SpecifiedTradeSettlementPaymentMeans")
    }
}
