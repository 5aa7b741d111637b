//! What is due from a subscription in a billing month: the period starting in that month
//! (billed in advance), its packs, and the charges pending from upgrades. Loads a chunk of
//! subscriptions in a few queries and composes their drafts in memory.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text};
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::compose::{LineInput, totals};
use super::issue::{Accounts, Draft};
use super::{BillingMonth, InvoicingError, customer_number};
use crate::country::{Country, VatId};
use crate::db::schema::{pending_charges, plans, prices, products, subscription_packs};
use crate::i18n::{Lang, format, t, t_args};
use crate::ledger::chart::codes;
use crate::ledger::{AccountId, AccountSpec};
use crate::money::Money;
use crate::seller::SellerDetails;
use crate::subscriptions::Billing;
use crate::subscriptions::period::{BillingPeriod, period_containing};
use crate::tax::{self, Buyer};

/// Catalog data every chunk needs, loaded once per worker.
pub struct Catalog {
    /// plan -> (product, is base plan)
    plans: HashMap<String, (String, bool)>,
    /// (plan, currency) -> prices by start date
    prices: HashMap<(String, String), Vec<(NaiveDate, Decimal)>>,
}

impl Catalog {
    pub fn load(conn: &mut PgConnection) -> Result<Catalog, InvoicingError> {
        let plans: Vec<(String, String, String)> = plans::table
            .inner_join(products::table)
            .select((plans::code, products::code, plans::kind))
            .load(conn)?;
        let rows: Vec<(String, String, NaiveDate, Decimal)> = prices::table
            .order(prices::valid_from)
            .select((prices::plan_code, prices::currency, prices::valid_from, prices::monthly_amount))
            .load(conn)?;
        let mut prices: HashMap<(String, String), Vec<(NaiveDate, Decimal)>> = HashMap::new();
        for (plan, currency, from, amount) in rows {
            prices.entry((plan, currency.trim().to_owned())).or_default().push((from, amount));
        }
        Ok(Catalog {
            plans: plans.into_iter().map(|(code, product, kind)| (code, (product, kind == "base"))).collect(),
            prices,
        })
    }

    fn price(&self, plan: &str, currency: Currency, date: NaiveDate) -> Result<Money, InvoicingError> {
        self.prices
            .get(&(plan.to_owned(), currency.code().to_owned()))
            .and_then(|list| list.iter().rev().find(|(from, _)| *from <= date))
            .map(|(_, amount)| Money::new(*amount, currency))
            .ok_or_else(|| {
                InvoicingError::Corrupt(format!("no {} price for {plan} on {date}", currency.code()))
            })
    }

    fn product(&self, plan: &str) -> String {
        self.plans.get(plan).map_or_else(|| "mailbox".to_owned(), |(p, _)| p.clone())
    }
}

#[derive(QueryableByName, Debug)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    plan_code: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    anchor_date: NaiveDate,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    trial_ends_on: Option<NaiveDate>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    cancel_on: Option<NaiveDate>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    ended_on: Option<NaiveDate>,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    company_name: Option<String>,
    #[diesel(sql_type = Text)]
    street: String,
    #[diesel(sql_type = Text)]
    postal_code: String,
    #[diesel(sql_type = Text)]
    city: String,
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    vat_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    vat_id_confirmed: bool,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    language: String,
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    credit_balance: Decimal,
}

/// The issue context: who sells, when, and on what terms.
pub struct IssueContext<'a> {
    pub billing: &'a Billing,
    pub seller: &'a SellerDetails,
    pub issue_date: NaiveDate,
    pub payment_terms_days: u32,
    pub publishing: &'a crate::documents::Publishing,
}

/// The billing period of `anchor` that starts in `month`, if one does.
pub fn period_in(anchor: NaiveDate, month: BillingMonth) -> Option<BillingPeriod> {
    let first = month.first_day().max(anchor);
    let mut period = period_containing(anchor, first);
    if period.start < first {
        period = period.next(anchor);
    }
    (period.start < month.end()).then_some(period)
}

/// A composed draft with the accounts it needs (opened before the issuing transaction).
pub struct Due {
    pub subscription_id: i64,
    pub draft: Option<Draft>,
    pub accounts: Vec<AccountSpec>,
}

/// A subscription composed, or the reason it could not be.
pub type Composed = Result<Due, (i64, InvoicingError)>;

/// A pack on a subscription, with the days its pending charges cover.
struct PackRow {
    plan: String,
    from: NaiveDate,
    until: Option<NaiveDate>,
    charged: Vec<(NaiveDate, NaiveDate)>,
}

/// A pending charge: id, plan, service from, service until, net amount.
type Charge = (i64, String, NaiveDate, NaiveDate, Decimal);

/// Loads and composes the subscriptions `ids` for `month`. A subscription with nothing to
/// bill gets `draft: None`.
pub fn compose_chunk(
    conn: &mut PgConnection,
    catalog: &Catalog,
    ctx: &IssueContext<'_>,
    month: BillingMonth,
    ids: &[i64],
) -> Result<Vec<Composed>, InvoicingError> {
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT s.id, s.customer_id, s.plan_code, s.currency::text AS currency, s.anchor_date, s.trial_ends_on,
                s.cancel_on, s.ended_on, c.name, c.company_name, c.street, c.postal_code, c.city,
                c.country::text AS country, c.vat_id, vat_id_confirmed(c.id, c.vat_id) AS vat_id_confirmed,
                c.email, c.language,
                COALESCE((SELECT sum(p.amount) FROM ledger_accounts a JOIN postings p ON p.account_id = a.id
                          WHERE a.code = '1750-' || s.currency || '-C' || s.customer_id), 0) AS credit_balance
           FROM subscriptions s JOIN customers c ON c.id = s.customer_id
          WHERE s.id = ANY($1) ORDER BY s.id",
    )
    .bind::<Array<BigInt>, _>(ids)
    .load(conn)?;
    let packs: Vec<(i64, i64, String, NaiveDate, Option<NaiveDate>)> = subscription_packs::table
        .filter(subscription_packs::subscription_id.eq_any(ids))
        // Complimentary packs (outage compensation) are never billed.
        .filter(subscription_packs::grant_id.is_null())
        .order(subscription_packs::id)
        .select((
            subscription_packs::id,
            subscription_packs::subscription_id,
            subscription_packs::plan_code,
            subscription_packs::starts_on,
            subscription_packs::ends_on,
        ))
        .load(conn)?;
    let charges: Vec<(i64, i64, String, NaiveDate, NaiveDate, Decimal)> = pending_charges::table
        .filter(pending_charges::subscription_id.eq_any(ids))
        .filter(pending_charges::invoice_id.is_null())
        .order(pending_charges::id)
        .select((
            pending_charges::id,
            pending_charges::subscription_id,
            pending_charges::plan_code,
            pending_charges::service_from,
            pending_charges::service_until,
            pending_charges::net_amount,
        ))
        .load(conn)?;
    // Days a pack's own pending charge already covers (invoiced or not) are not billed again.
    let covered: Vec<(i64, NaiveDate, NaiveDate)> = pending_charges::table
        .filter(pending_charges::subscription_id.eq_any(ids))
        .filter(pending_charges::pack_id.is_not_null())
        .select((
            pending_charges::pack_id.assume_not_null(),
            pending_charges::service_from,
            pending_charges::service_until,
        ))
        .load(conn)?;
    let mut packs_of: BTreeMap<i64, Vec<PackRow>> = BTreeMap::new();
    for (id, subscription, plan, from, until) in packs {
        let charged: Vec<(NaiveDate, NaiveDate)> =
            covered.iter().filter(|(pack, _, _)| *pack == id).map(|(_, f, u)| (*f, *u)).collect();
        packs_of.entry(subscription).or_default().push(PackRow { plan, from, until, charged });
    }
    let mut charges_of: BTreeMap<i64, Vec<Charge>> = BTreeMap::new();
    for (id, subscription, plan, from, until, amount) in charges {
        charges_of.entry(subscription).or_default().push((id, plan, from, until, amount));
    }
    // Credit a customer's earlier subscription in this chunk used is not there for the next.
    let mut used: HashMap<(i64, String), Decimal> = HashMap::new();
    Ok(rows
        .into_iter()
        .map(|mut row| {
            let id = row.id;
            let packs = packs_of.remove(&id).unwrap_or_default();
            let charges = charges_of.remove(&id).unwrap_or_default();
            let key = (row.customer_id, row.currency.clone());
            row.credit_balance += used.get(&key).copied().unwrap_or_default();
            let due = compose_one(catalog, ctx, month, row, packs, charges).map_err(|e| (id, e))?;
            if let Some(draft) = &due.draft {
                *used.entry(key).or_default() += draft.totals.credit_applied.amount();
            }
            Ok(due)
        })
        .collect())
}

fn compose_one(
    catalog: &Catalog,
    ctx: &IssueContext<'_>,
    month: BillingMonth,
    row: Row,
    packs: Vec<PackRow>,
    charges: Vec<Charge>,
) -> Result<Due, InvoicingError> {
    let currency = Currency::from_code(row.currency.trim())
        .ok_or_else(|| InvoicingError::Corrupt(format!("currency {:?}", row.currency)))?;
    let country = Country::parse(&row.country).map_err(|_| InvoicingError::Corrupt(row.country.clone()))?;
    let vat_id = row.vat_id.clone().and_then(|v| VatId::try_from(v).ok());
    let lang = Lang::supported(&row.language).unwrap_or_else(Lang::english);
    let buyer = Buyer { country, vat_id: vat_id.as_ref(), vies_valid: row.vat_id_confirmed };
    let period = period_in(row.anchor_date, month);
    let first_paid = row.trial_ends_on.unwrap_or(row.anchor_date);
    let billable = period.filter(|p| {
        p.start >= first_paid
            && row.cancel_on.is_none_or(|end| end > p.start)
            && row.ended_on.is_none_or(|end| end > p.start)
    });
    let mut lines = Vec::new();
    let describe = |plan: &str, from: NaiveDate, until: NaiveDate| {
        t_args(
            &lang,
            "invoice-line",
            &[
                ("plan", t(&lang, &format!("plan-{}", plan.replace('_', "-"))).into()),
                ("from", format::date(&lang, from).into()),
                ("until", format::date(&lang, until - Duration::days(1)).into()),
            ],
        )
    };
    let mut line =
        |plan: &str, from: NaiveDate, until: NaiveDate, unit: Money, net: Money, quantity: Decimal| {
            let rate = tax::treatment(&ctx.billing.seller, &buyer, from)?.rate();
            lines.push(LineInput {
                description: describe(plan, from, until),
                plan_code: Some(plan.to_owned()),
                product: catalog.product(plan),
                service_from: Some(from),
                service_until: Some(until),
                quantity,
                unit_price: unit,
                net,
                vat_rate: rate,
            });
            Ok::<(), InvoicingError>(())
        };
    if let Some(p) = billable {
        let base = catalog.price(&row.plan_code, currency, p.start)?;
        line(&row.plan_code, p.start, p.end, base, base, Decimal::ONE)?;
        let in_force = |pack: &&PackRow| pack.from <= p.start && pack.until.is_none_or(|u| u > p.start);
        let charged_already =
            |pack: &&PackRow| pack.charged.iter().any(|(f, u)| *f <= p.start && p.start < *u);
        for pack in packs.iter().filter(in_force).filter(|pack| !charged_already(pack)) {
            let price = catalog.price(&pack.plan, currency, p.start)?;
            line(&pack.plan, p.start, p.end, price, price, Decimal::ONE)?;
        }
    }
    let mut charge_ids = Vec::new();
    for (id, plan, from, until, amount) in &charges {
        let net = Money::new(*amount, currency);
        line(plan, *from, *until, net, net, Decimal::ONE)?;
        charge_ids.push(*id);
    }
    let customer = row.customer_id;
    if lines.is_empty() {
        return Ok(Due { subscription_id: row.id, draft: None, accounts: Vec::new() });
    }
    let supply = billable.map_or(ctx.issue_date, |p| p.start);
    let treatment = tax::treatment(&ctx.billing.seller, &buyer, supply)?;
    let credit_available = Money::new(-row.credit_balance, currency);
    let totals = totals(currency, lines, credit_available)?;
    let vat_country = match treatment {
        tax::VatTreatment::OssDestination { country, .. }
        | tax::VatTreatment::LocalRegistration { country, .. } => country,
        _ => ctx.billing.seller.country,
    };
    let mut specs = vec![codes::receivable(currency, customer)];
    // The customer's credit account exists once they have credit; no need to open it otherwise.
    if totals.credit_applied.is_positive() {
        specs.push(codes::credit(currency, customer));
    }
    let mut products: Vec<String> = totals.lines.iter().map(|l| l.input.product.clone()).collect();
    products.sort();
    products.dedup();
    specs.extend(products.iter().map(|p| codes::revenue(currency, p)));
    specs.extend(totals.vat_rows.iter().map(|r| codes::vat(currency, vat_country.code(), r.rate)));
    let snapshot = serde_json::json!({
        "number": customer_number(customer),
        "name": row.name,
        "company_name": row.company_name,
        "street": row.street,
        "postal_code": row.postal_code,
        "city": row.city,
        "country": country.code(),
        "vat_id": row.vat_id,
        "email": row.email,
        "language": lang.code(),
        "currency": currency.code(),
    });
    let draft = Draft {
        customer_id: customer,
        subscription_id: Some(row.id),
        billing_period: Some(month.to_string()),
        credited_invoice_id: None,
        reason: None,
        service_from: billable.map(|p| p.start),
        service_until: billable.map(|p| p.end),
        issue_date: ctx.issue_date,
        due_date: ctx.issue_date + Duration::days(i64::from(ctx.payment_terms_days)),
        currency,
        totals,
        vat_treatment: treatment.code().to_owned(),
        vat_note: treatment.note_message_id().map(|id| t(&lang, id)),
        language: lang.code().to_owned(),
        customer_snapshot: snapshot,
        seller_snapshot: seller_snapshot(ctx.seller),
        pending_charge_ids: charge_ids,
        accounts: Accounts {
            receivable: AccountId(0),
            credit: AccountId(0),
            revenue: BTreeMap::new(),
            vat: BTreeMap::new(),
        },
        receivable_share: None,
    };
    Ok(Due { subscription_id: row.id, draft: Some(draft), accounts: specs })
}

pub fn seller_snapshot(seller: &SellerDetails) -> serde_json::Value {
    serde_json::json!({
        "name": seller.name,
        "address": seller.address,
        "vat_id": seller.vat_id,
        "register": seller.register,
        "iban": seller.iban,
        "bic": seller.bic,
        "chf_iban": seller.chf_iban,
        // Each currency's own account, frozen with the invoice: its page, PDF and emails name
        // the account of its currency (`documents::how_to_pay`).
        "accounts": seller.own_accounts(),
    })
}

/// Fills in a draft's account ids from the opened accounts, recognised by their code ranges.
pub fn attach_accounts(
    draft: &mut Draft,
    specs: &[AccountSpec],
    ids: &HashMap<String, AccountId>,
) -> Result<(), InvoicingError> {
    for spec in specs {
        let id = ids
            .get(&spec.code)
            .copied()
            .ok_or_else(|| InvoicingError::Corrupt(format!("account {} missing", spec.code)))?;
        let mut parts = spec.code.splitn(3, '-');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("1400"), _, _) => draft.accounts.receivable = id,
            (Some("1750"), _, _) => draft.accounts.credit = id,
            (Some("4400"), _, Some(product)) => {
                draft.accounts.revenue.insert(product.to_owned(), id);
            }
            (Some("1776"), _, Some(rest)) => {
                let rate = rest
                    .rsplit('-')
                    .next()
                    .and_then(|r| r.parse::<Decimal>().ok())
                    .ok_or_else(|| InvoicingError::Corrupt(spec.code.clone()))?;
                draft.accounts.vat.insert(rate.normalize(), id);
            }
            _ => {
                return Err(InvoicingError::Corrupt(format!("unexpected account {}", spec.code)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_month_has_the_period_that_starts_in_it() {
        let month = |y, m| BillingMonth { year: y, month: m };
        let anchor = d(2026, 1, 31);
        assert_eq!(period_in(anchor, month(2026, 2)).unwrap().start, d(2026, 2, 28));
        assert_eq!(period_in(anchor, month(2026, 3)).unwrap().start, d(2026, 3, 31));
        assert_eq!(period_in(anchor, month(2026, 1)).unwrap().start, d(2026, 1, 31));
        assert!(period_in(anchor, month(2025, 12)).is_none(), "before the subscription");
        assert_eq!(
            period_in(d(2026, 11, 10), month(2026, 12)).unwrap(),
            BillingPeriod { start: d(2026, 12, 10), end: d(2027, 1, 10) }
        );
    }
}
