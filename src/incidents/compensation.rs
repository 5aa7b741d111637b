//! Compensation for resolved incidents: who was affected, for how long, what the plan's SLA
//! policy grants them (preview), and the issue step that grants it as one balanced ledger
//! entry per incident and subscription (expense "Outage compensation" to the customer's credit
//! account), exactly once: the entry's idempotency key and the grant's primary key make a
//! re-run or a second process harmless.
//!
//! Several incidents in one month are not counted twice: a subscription's credit for an
//! incident is what the policy grants for the union of this incident's downtime and that of
//! the incidents already granted in the same month, minus what those grants gave.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bpchar, Nullable, Numeric, Text, Timestamptz};
use iso_currency::Currency;
use rust_decimal::Decimal;
use serde::Serialize;

use super::alternatives::{self, Kind};
pub use super::assessment::{Assessment, Subject};
use super::downtime::{Interval, Outage, downtime_seconds};
use super::sla::{self, Policy, Reason, Rule, Standing, Tier};
use super::{IncidentError, Texts};
use crate::audit::{self, Actor};
use crate::db::schema::{incidents, sla_policies};
use crate::ledger::chart::codes;
use crate::ledger::{Account, AccountKind, AccountSpec, NewEntry, NewPosting, Reference, post_entries};
use crate::money::Money;
use crate::site::Site;
use crate::tax::Seller;

/// Subscriptions per issue transaction.
pub const CHUNK: usize = 2_000;

/// The expense account compensation is booked to, per currency.
pub fn expense_account(currency: Currency) -> AccountSpec {
    AccountSpec {
        code: format!("6890-{}", currency.code()),
        name: format!("Outage compensation {}", currency.code()),
        kind: AccountKind::Expense,
        currency,
        customer_id: None,
    }
}

/// The month (UTC) an incident's downtime is measured in: the one it started in.
pub fn period_of(start: DateTime<Utc>) -> Interval {
    let first = NaiveDate::from_ymd_opt(start.year(), start.month(), 1);
    let next = first.and_then(|d| d.checked_add_months(chrono::Months::new(1)));
    let ts = |d: Option<NaiveDate>| {
        d.and_then(|d| d.and_hms_opt(0, 0, 0)).map_or(0, |t| Utc.from_utc_datetime(&t).timestamp())
    };
    Interval::new(ts(first), ts(next))
}

/// The calendar months (UTC) an incident from `start` to `end` touches, in order: downtime
/// running into the next month counts in each month it touches, against that month's length.
pub fn periods_of(start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Interval> {
    let mut periods = vec![period_of(start)];
    // An outage of years is not one Kontor grants for month by month: three years at most.
    while let Some(last) = periods.last().copied()
        && last.end < end.timestamp()
        && periods.len() < 36
    {
        let Some(next) = Utc.timestamp_opt(last.end, 0).single() else { break };
        periods.push(period_of(next));
    }
    periods
}

/// `2026-12`: the key of a month in a grant's `by_month`.
pub fn month_key(period: Interval) -> String {
    Utc.timestamp_opt(period.start, 0).single().map_or_else(String::new, |d| d.format("%Y-%m").to_string())
}

#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = BigInt)]
    subscription_id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    plan_code: String,
    #[diesel(sql_type = Bpchar)]
    currency: String,
    #[diesel(sql_type = BigInt)]
    subscribed_from: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    subscribed_until: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    in_trial: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    cancelled: bool,
    #[diesel(sql_type = Numeric)]
    fee: Decimal,
    #[diesel(sql_type = Nullable<Text>)]
    choice: Option<String>,
    /// A month of the plan and the paid packs in force at the incident (net), at today's
    /// prices: what a free month is worth before VAT.
    #[diesel(sql_type = Numeric)]
    month_price: Decimal,
    #[diesel(sql_type = Bpchar)]
    country: String,
    #[diesel(sql_type = Nullable<Text>)]
    vat_id: Option<String>,
    /// VIES confirmed the VAT ID (reverse charge only then, as on the invoices); read only when
    /// the incident offers a free month, false otherwise.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    vat_id_confirmed: bool,
}

#[derive(QueryableByName)]
struct OutageRow {
    #[diesel(sql_type = BigInt)]
    subscription_id: i64,
    #[diesel(sql_type = BigInt)]
    incident_id: i64,
    #[diesel(sql_type = BigInt)]
    start: i64,
    #[diesel(sql_type = BigInt)]
    end: i64,
    #[diesel(sql_type = BigInt)]
    placed_from: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    placed_until: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    announced: Option<i64>,
}

#[derive(QueryableByName)]
struct PriorGrant {
    #[diesel(sql_type = BigInt)]
    subscription_id: i64,
    #[diesel(sql_type = BigInt)]
    incident_id: i64,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Nullable<diesel::sql_types::Jsonb>)]
    by_month: Option<serde_json::Value>,
    #[diesel(sql_type = BigInt)]
    started: i64,
}

impl PriorGrant {
    /// What this grant gave for the month `period` (keyed `key`), if it counted there: its
    /// own record per month, or, for grants made before months were recorded, all of it in
    /// the month its incident started.
    fn share(&self, key: &str, period: Interval) -> Option<Decimal> {
        match &self.by_month {
            Some(months) => months.get(key).and_then(|v| v.as_str()).and_then(|v| v.parse().ok()),
            None => (period.start <= self.started && self.started < period.end).then_some(self.amount),
        }
    }
}

#[derive(QueryableByName)]
struct SubscriptionId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

type SubjectRow = (i64, serde_json::Value, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// A resolved incident (compensation is for what is over).
pub fn subject(conn: &mut PgConnection, incident: i64, now: DateTime<Utc>) -> Result<Subject, IncidentError> {
    let row: SubjectRow = incidents::table
        .find(incident)
        .select((
            incidents::id,
            incidents::title,
            incidents::started_at,
            incidents::ended_at,
            incidents::choice_deadline,
        ))
        .first(conn)
        .optional()?
        .ok_or(IncidentError::UnknownIncident(incident))?;
    let ended_at = row.3.filter(|end| *end <= now).ok_or(IncidentError::NotResolved)?;
    Ok(Subject {
        id: row.0,
        title: Texts::from_json(&row.1),
        started_at: row.2,
        ended_at,
        choice_deadline: row.4,
        alternatives: alternatives::of_incident(conn, incident)?,
    })
}

pub fn policies(conn: &mut PgConnection) -> Result<HashMap<String, Policy>, IncidentError> {
    let rows: Vec<(String, Decimal, serde_json::Value, i32, i32, String, String)> = sla_policies::table
        .select((
            sla_policies::plan_code,
            sla_policies::target_percent,
            sla_policies::tiers,
            sla_policies::full_credit_hours,
            sla_policies::announce_days,
            sla_policies::trial_rule,
            sla_policies::cancelled_rule,
        ))
        .load(conn)?;
    let mut map = HashMap::new();
    for (plan, target, tiers, hours, days, trial, cancelled) in rows {
        let tiers: Vec<Tier> = serde_json::from_value(tiers)
            .map_err(|e| IncidentError::Corrupt(format!("SLA tiers of {plan}: {e}")))?;
        let rule = |s: &str| Rule::parse(s).ok_or_else(|| IncidentError::Corrupt(format!("SLA rule {s:?}")));
        map.insert(
            plan,
            Policy {
                target_percent: target,
                tiers,
                full_credit_seconds: i64::from(hours) * 3600,
                announce_seconds: i64::from(days) * 86_400,
                trial_rule: rule(&trial)?,
                cancelled_rule: rule(&cancelled)?,
            },
        );
    }
    Ok(map)
}

/// Subscriptions placed on one of the incident's resources while it lasted, in id order.
pub fn affected_subscriptions(conn: &mut PgConnection, incident: i64) -> Result<Vec<i64>, IncidentError> {
    Ok(diesel::sql_query(
        "SELECT DISTINCT p.subscription_id AS id
           FROM incidents i
           JOIN incident_resources ir ON ir.incident_id = i.id
           JOIN placements p ON p.resource_id = ir.resource_id
                            AND p.placed_from < coalesce(i.ended_at, 'infinity')
                            AND coalesce(p.placed_until, 'infinity') > i.started_at
          WHERE i.id = $1
          ORDER BY 1",
    )
    .bind::<BigInt, _>(incident)
    .load::<SubscriptionId>(conn)?
    .into_iter()
    .map(|r| r.id)
    .collect())
}

/// What each of `subscriptions` gets for the incident, read with a few set-based queries.
pub fn assess(
    conn: &mut PgConnection,
    subject: &Subject,
    subscriptions: &[i64],
    policies: &HashMap<String, Policy>,
    seller: &Seller,
    now: DateTime<Utc>,
) -> Result<Vec<Assessment>, IncidentError> {
    let periods = periods_of(subject.started_at, subject.ended_at);
    let first = periods.first().copied().unwrap_or_else(|| period_of(subject.started_at));
    let last = periods.last().copied().unwrap_or(first);
    let period_start = Utc.timestamp_opt(first.start, 0).single().unwrap_or(subject.started_at);
    let periods_end = Utc.timestamp_opt(last.end, 0).single().unwrap_or(subject.ended_at);
    // Set-based: each price is looked up once per plan and currency, the packs are summed in
    // one pass, and the VAT ID check is read only where a free month needs it (correlated
    // subqueries per subscription made this most of the preview's time). The subscriptions
    // come in as a joined `unnest`, not `= ANY`, which the planner estimates element by element
    // (about a tenth of this query's time at 20,000 ids).
    let free_month_offered = subject.alternatives.get(Kind::FreeMonth).is_some();
    let candidates: Vec<Candidate> = diesel::sql_query(
        "WITH s AS (SELECT sub.* FROM unnest($1::bigint[]) AS a(id) JOIN subscriptions sub ON sub.id = a.id),
              price_then AS (SELECT DISTINCT ON (plan_code, currency) plan_code, currency, monthly_amount
                               FROM prices WHERE valid_from <= ($3 AT TIME ZONE 'UTC')::date
                              ORDER BY plan_code, currency, valid_from DESC),
              price_now AS (SELECT DISTINCT ON (plan_code, currency) plan_code, currency, monthly_amount
                              FROM prices WHERE valid_from <= ($5 AT TIME ZONE 'UTC')::date
                             ORDER BY plan_code, currency, valid_from DESC),
              packs AS (SELECT k.subscription_id, sum(pt.monthly_amount) AS then_amount,
                               sum(pn.monthly_amount) AS now_amount
                          FROM subscription_packs k
                          JOIN s ON s.id = k.subscription_id
                          LEFT JOIN price_then pt ON pt.plan_code = k.plan_code AND pt.currency = s.currency
                          LEFT JOIN price_now pn ON pn.plan_code = k.plan_code AND pn.currency = s.currency
                         WHERE k.grant_id IS NULL
                           AND k.starts_on <= ($2 AT TIME ZONE 'UTC')::date
                           AND (k.ends_on IS NULL OR k.ends_on > ($2 AT TIME ZONE 'UTC')::date)
                         GROUP BY k.subscription_id)
         SELECT s.id AS subscription_id, s.customer_id, s.plan_code, s.currency,
                extract(epoch FROM s.created_at)::bigint AS subscribed_from,
                extract(epoch FROM coalesce(s.ended_on, s.cancel_on)::timestamp AT TIME ZONE 'UTC')::bigint AS subscribed_until,
                (s.status = 'trial' OR coalesce(s.trial_ends_on > ($2 AT TIME ZONE 'UTC')::date, false)) AS in_trial,
                (s.cancel_on IS NOT NULL OR s.ended_on IS NOT NULL) AS cancelled,
                coalesce(pt.monthly_amount, 0) + coalesce(k.then_amount, 0) AS fee,
                c.option AS choice,
                coalesce(pn.monthly_amount, 0) + coalesce(k.now_amount, 0) AS month_price,
                cu.country, cu.vat_id,
                CASE WHEN $6 AND cu.vat_id IS NOT NULL THEN vat_id_confirmed(cu.id, cu.vat_id) ELSE false END
                  AS vat_id_confirmed
           FROM s
           JOIN customers cu ON cu.id = s.customer_id
           LEFT JOIN price_then pt ON pt.plan_code = s.plan_code AND pt.currency = s.currency
           LEFT JOIN price_now pn ON pn.plan_code = s.plan_code AND pn.currency = s.currency
           LEFT JOIN packs k ON k.subscription_id = s.id
           LEFT JOIN compensation_choices c ON c.incident_id = $4 AND c.subscription_id = s.id
          ORDER BY s.id",
    )
    .bind::<Array<BigInt>, _>(subscriptions)
    .bind::<Timestamptz, _>(subject.started_at)
    .bind::<Timestamptz, _>(period_start)
    .bind::<BigInt, _>(subject.id)
    .bind::<Timestamptz, _>(now)
    .bind::<diesel::sql_types::Bool, _>(free_month_offered)
    .load(conn)?;

    // Grants already made for other incidents in the months this one touches.
    let prior: Vec<PriorGrant> = diesel::sql_query(
        "SELECT g.subscription_id, g.incident_id, g.amount, g.by_month,
                extract(epoch FROM i.started_at)::bigint AS started
           FROM compensation_grants g JOIN incidents i ON i.id = g.incident_id
          WHERE g.subscription_id = ANY ($1) AND g.incident_id <> $2
            AND i.started_at < $4 AND coalesce(i.ended_at, 'infinity') > $3",
    )
    .bind::<Array<BigInt>, _>(subscriptions)
    .bind::<BigInt, _>(subject.id)
    .bind::<Timestamptz, _>(period_start)
    .bind::<Timestamptz, _>(periods_end)
    .load(conn)?;
    let mut incident_ids: Vec<i64> = prior.iter().map(|g| g.incident_id).collect();
    incident_ids.push(subject.id);
    incident_ids.sort_unstable();
    incident_ids.dedup();

    let outage_rows: Vec<OutageRow> = diesel::sql_query(
        "SELECT p.subscription_id, i.id AS incident_id,
                extract(epoch FROM i.started_at)::bigint AS start,
                extract(epoch FROM i.ended_at)::bigint AS \"end\",
                extract(epoch FROM p.placed_from)::bigint AS placed_from,
                extract(epoch FROM p.placed_until)::bigint AS placed_until,
                CASE WHEN i.kind = 'maintenance' THEN extract(epoch FROM i.announced_at)::bigint END AS announced
           FROM incidents i
           JOIN incident_resources ir ON ir.incident_id = i.id
           JOIN placements p ON p.resource_id = ir.resource_id
                            AND p.placed_from < i.ended_at
                            AND coalesce(p.placed_until, 'infinity') > i.started_at
          WHERE i.id = ANY ($1) AND p.subscription_id = ANY ($2) AND i.ended_at IS NOT NULL",
    )
    .bind::<Array<BigInt>, _>(&incident_ids)
    .bind::<Array<BigInt>, _>(subscriptions)
    .load(conn)?;

    let mut prior_of: HashMap<i64, Vec<&PriorGrant>> = HashMap::new();
    for g in &prior {
        prior_of.entry(g.subscription_id).or_default().push(g);
    }
    let mut outages: HashMap<i64, Vec<(i64, Outage)>> = HashMap::new();
    for o in &outage_rows {
        outages.entry(o.subscription_id).or_default().push((
            o.incident_id,
            Outage {
                window: Interval::new(o.start, o.end),
                placement: Interval::new(o.placed_from, o.placed_until.unwrap_or(i64::MAX / 4)),
                maintenance_announced_at: o.announced,
            },
        ));
    }

    let choosing_open = subject.choice_deadline.is_some_and(|deadline| now <= deadline);
    let mut out = Vec::with_capacity(candidates.len());
    for c in candidates {
        let policy =
            policies.get(&c.plan_code).ok_or_else(|| IncidentError::NoPolicy(c.plan_code.clone()))?;
        let currency = crate::ledger::currency_from_code(&c.currency)?;
        let subscribed = Interval::new(c.subscribed_from, c.subscribed_until.unwrap_or(i64::MAX / 4));
        let granted = prior_of.get(&c.subscription_id).map_or(&[][..], Vec::as_slice);
        let all = outages.get(&c.subscription_id).map_or(&[][..], Vec::as_slice);
        let mut amount = Decimal::ZERO;
        let mut down = 0;
        let mut by_month = BTreeMap::new();
        // The tier shown is that of the month with the most downtime.
        let mut shown: Option<(i64, sla::Credit)> = None;
        for period in &periods {
            let key = month_key(*period);
            let before: Vec<(i64, Decimal)> =
                granted.iter().filter_map(|g| g.share(&key, *period).map(|a| (g.incident_id, a))).collect();
            let list: Vec<Outage> = all
                .iter()
                .filter(|(incident, _)| *incident == subject.id || before.iter().any(|(i, _)| i == incident))
                .map(|(_, o)| *o)
                .collect();
            let down_here = downtime_seconds(&list, subscribed, *period, policy.announce_seconds);
            let standing = if c.in_trial {
                Standing::Trial
            } else if c.cancelled {
                Standing::Cancelled { subscribed: subscribed.clip(*period).seconds() }
            } else {
                Standing::Paying
            };
            let total =
                sla::credit(policy, Money::new(c.fee, currency), standing, down_here, period.seconds())?;
            let already: Decimal = before.iter().map(|(_, a)| *a).sum();
            let part = (total.amount.amount() - already).max(Decimal::ZERO);
            amount += part;
            down += down_here;
            by_month.insert(key, part);
            if shown.as_ref().is_none_or(|(most, _)| down_here > *most) {
                shown = Some((down_here, total));
            }
        }
        let (percent, reason) =
            shown.map_or((Decimal::ZERO, Reason::WithinTarget), |(_, t)| (t.percent, t.reason));
        let offers = &subject.alternatives;
        let free_month = match offers.get(Kind::FreeMonth) {
            Some(_) => free_month_value(seller, &c, currency, now)?.filter(|month| *month >= amount),
            None => None,
        };
        // A free month worth less than the entitlement is not offered: choosing must never
        // give a customer less than the policy grants.
        let available =
            |kind: Kind| offers.get(kind).is_some() && (kind != Kind::FreeMonth || free_month.is_some());
        let chosen = c.choice.as_deref().and_then(Kind::parse).filter(|k| available(*k));
        let option = if !offers.is_choice() {
            Some(Kind::Credit)
        } else if let Some(kind) = chosen {
            Some(kind)
        } else if choosing_open {
            None
        } else if available(offers.default) {
            Some(offers.default)
        } else {
            Some(Kind::Credit)
        };
        out.push(Assessment {
            subscription_id: c.subscription_id,
            customer_id: c.customer_id,
            currency: c.currency.trim().to_owned(),
            downtime_seconds: down,
            percent,
            amount,
            reason: reason.as_str(),
            option: if amount.is_zero() { Some("credit") } else { option.map(Kind::as_str) },
            free_month,
            by_month,
        });
    }
    Ok(out)
}

/// One month of the subscription's plan and of the paid storage packs it had at the incident,
/// at today's catalog prices, with the VAT its invoices carry: what a monthly invoice charges
/// for them. `None` when the plan has no
/// price in the currency (nothing a free month could be worth).
///
/// A free month is granted as customer credit of that amount rather than as a billing
/// exception: it takes the same ledger path as every credit (expense to the customer's credit
/// account, applied by the next invoice like a payment), is exact to the cent, and the
/// invoice run needs no special case for it.
fn free_month_value(
    seller: &Seller,
    c: &Candidate,
    currency: Currency,
    now: DateTime<Utc>,
) -> Result<Option<Decimal>, IncidentError> {
    if c.month_price <= Decimal::ZERO {
        return Ok(None);
    }
    let country = crate::country::Country::parse(c.country.trim())
        .map_err(|_| IncidentError::Corrupt(format!("country {:?}", c.country)))?;
    let vat_id = c.vat_id.clone().and_then(|v| crate::country::VatId::try_from(v).ok());
    let buyer = crate::tax::Buyer { country, vat_id: vat_id.as_ref(), vies_valid: c.vat_id_confirmed };
    let rate = crate::tax::treatment(seller, &buyer, now.date_naive())
        .map_err(|e| IncidentError::Corrupt(format!("VAT: {e}")))?
        .rate();
    let gross = crate::tax::gross(Money::new(c.month_price, currency), rate)
        .map_err(|e| IncidentError::Corrupt(format!("VAT: {e}")))?;
    Ok(Some(gross.amount()))
}

/// Finance's view before issuing.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Preview {
    pub incident_id: i64,
    pub affected: usize,
    pub credited: usize,
    pub pending_choice: usize,
    pub chose_storage: usize,
    pub chose_free_month: usize,
    pub chose_donation: usize,
    pub already_issued: usize,
    /// Downtime buckets (hours, upper bound exclusive) -> subscriptions.
    pub downtime: BTreeMap<String, usize>,
    pub reasons: BTreeMap<String, usize>,
    /// Currency -> total credit (free months included).
    pub totals: BTreeMap<String, Decimal>,
    /// Currency -> total donated to the incident's charity.
    pub donations: BTreeMap<String, Decimal>,
}

const BUCKETS: [(i64, &str); 6] = [
    (0, "0"),
    (3600, "<1h"),
    (4 * 3600, "1-4h"),
    (24 * 3600, "4-24h"),
    (72 * 3600, "24-72h"),
    (i64::MAX, ">72h"),
];

fn bucket(seconds: i64) -> &'static str {
    if seconds == 0 {
        return "0";
    }
    BUCKETS.iter().skip(1).find(|(limit, _)| seconds <= *limit).map_or(">72h", |(_, name)| name)
}

pub fn preview(
    conn: &mut PgConnection,
    incident: i64,
    seller: &Seller,
    now: DateTime<Utc>,
) -> Result<Preview, IncidentError> {
    let subject = subject(conn, incident, now)?;
    let subscriptions = affected_subscriptions(conn, incident)?;
    let policies = policies(conn)?;
    let assessed = assess(conn, &subject, &subscriptions, &policies, seller, now)?;
    let issued: i64 =
        diesel::sql_query("SELECT count(*) AS id FROM compensation_grants WHERE incident_id = $1")
            .bind::<BigInt, _>(incident)
            .get_result::<SubscriptionId>(conn)?
            .id;
    let mut p = Preview { incident_id: incident, affected: assessed.len(), ..Preview::default() };
    p.already_issued = usize::try_from(issued).unwrap_or(0);
    for a in &assessed {
        *p.downtime.entry(bucket(a.downtime_seconds).to_owned()).or_default() += 1;
        *p.reasons.entry(a.reason.to_owned()).or_default() += 1;
        match a.option {
            None => p.pending_choice += 1,
            Some("storage") => p.chose_storage += 1,
            Some("donation") if a.amount > Decimal::ZERO => {
                p.chose_donation += 1;
                *p.donations.entry(a.currency.clone()).or_default() += a.amount;
            }
            Some(option) if a.amount > Decimal::ZERO => {
                p.credited += 1;
                if option == "free_month" {
                    p.chose_free_month += 1;
                }
                *p.totals.entry(a.currency.clone()).or_default() += a.granted();
            }
            Some(_) => {}
        }
    }
    Ok(p)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct IssueReport {
    pub granted: usize,
    pub credits: usize,
    pub storage: usize,
    /// Credits of a free month (also counted in `credits`).
    #[serde(default)]
    pub free_months: usize,
    #[serde(default)]
    pub donations: usize,
    pub nothing: usize,
    pub pending_choice: usize,
    pub already: usize,
}

/// Issues the incident's compensation in chunks of [`CHUNK`] subscriptions, one transaction
/// each. Safe to re-run, to kill, and to run in two processes at once.
pub fn issue(
    pool: &crate::db::PgPool,
    site: &Site,
    seller: &Seller,
    incident: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<IssueReport, IncidentError> {
    let run = Resume { start: 0, so_far: IssueReport::default() };
    let (report, _) =
        issue_resumable(pool, site, seller, incident, actor, now, run, &mut |_, _, _, _| Ok(Flow::Continue))?;
    Ok(report)
}

/// What a step of a long run says back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Stop after this step; a later run resumes after it.
    Stop,
}

/// Where a run resumes: after the first `start` affected subscriptions (in id order), which an
/// earlier run issued with the report `so_far`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Resume {
    pub start: usize,
    pub so_far: IssueReport,
}

/// A step's callback: inside the chunk's transaction, how many subscriptions are done of how
/// many and the report so far; it may record them (a job's progress) and stop the run.
pub type Step<'a> =
    dyn FnMut(&mut PgConnection, usize, usize, &IssueReport) -> Result<Flow, IncidentError> + 'a;

/// [`issue`] as a job runs it: from `resume` on, telling `step` after each chunk. Returns the
/// report and whether every subscription is done (the audit log records the issue then).
#[allow(clippy::too_many_arguments)]
pub fn issue_resumable(
    pool: &crate::db::PgPool,
    site: &Site,
    seller: &Seller,
    incident: i64,
    actor: &Actor,
    now: DateTime<Utc>,
    resume: Resume,
    step: &mut Step<'_>,
) -> Result<(IssueReport, bool), IncidentError> {
    let mut conn = pool.get().map_err(|e| IncidentError::Corrupt(format!("database: {e}")))?;
    let subject = subject(&mut conn, incident, now)?;
    let subscriptions = affected_subscriptions(&mut conn, incident)?;
    let policies = policies(&mut conn)?;
    let total = subscriptions.len();
    let mut report = resume.so_far;
    let mut done = resume.start.min(total);
    for chunk in subscriptions.get(done..).unwrap_or_default().chunks(CHUNK) {
        let flow = conn.transaction(|conn| {
            let part = issue_chunk(conn, site, seller, &subject, chunk, &policies, now)?;
            report.granted += part.granted;
            report.credits += part.credits;
            report.storage += part.storage;
            report.free_months += part.free_months;
            report.donations += part.donations;
            report.nothing += part.nothing;
            report.pending_choice += part.pending_choice;
            report.already += part.already;
            done += chunk.len();
            step(conn, done, total, &report)
        })?;
        if flow == Flow::Stop && done < total {
            return Ok((report, false));
        }
    }
    conn.transaction(|conn| {
        audit::record(
            conn,
            &actor
                .event("compensation.issue")
                .target(format!("incident:{incident}"))
                .details(serde_json::to_value(report).unwrap_or_default()),
        )
    })?;
    Ok((report, true))
}

fn issue_chunk(
    conn: &mut PgConnection,
    site: &Site,
    seller: &Seller,
    subject: &Subject,
    chunk: &[i64],
    policies: &HashMap<String, Policy>,
    now: DateTime<Utc>,
) -> Result<IssueReport, IncidentError> {
    let mut report = IssueReport::default();
    // Grants for one subscription depend on its earlier grants this month: serialize issuers
    // (a second process waits here, then finds the grants made and skips them).
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('kontor:compensation'))").execute(conn)?;
    let done: Vec<SubscriptionId> = diesel::sql_query(
        "SELECT subscription_id AS id FROM compensation_grants WHERE incident_id = $1 AND subscription_id = ANY ($2)",
    )
    .bind::<BigInt, _>(subject.id)
    .bind::<Array<BigInt>, _>(chunk)
    .load(conn)?;
    let done: std::collections::HashSet<i64> = done.into_iter().map(|r| r.id).collect();
    report.already = done.len();
    let todo: Vec<i64> = chunk.iter().copied().filter(|id| !done.contains(id)).collect();
    if todo.is_empty() {
        return Ok(report);
    }
    let assessed = assess(conn, subject, &todo, policies, seller, now)?;
    let ready: Vec<&Assessment> = assessed.iter().filter(|a| a.option.is_some()).collect();
    report.pending_choice = assessed.len() - ready.len();

    // The emails are written on a second thread while this one books the grants (rendering
    // them takes about as long as booking); they are queued in the same transaction, so a grant
    // and its email commit together or not at all.
    let readers = super::compensation_notice::readers(conn, subject, &ready)?;
    let (booked, mails) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| super::compensation_notice::compose(site, subject, &ready, &readers));
        let booked = book(conn, subject, &ready, now, report);
        (booked, writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let report = booked?;
    crate::mail::outbox::enqueue_many(conn, &mails?, &site.mail_domain)?;
    Ok(report)
}

/// Books a chunk's grants that are ready: the ledger entries, the grants and the storage packs.
fn book(
    conn: &mut PgConnection,
    subject: &Subject,
    ready: &[&Assessment],
    now: DateTime<Utc>,
    mut report: IssueReport,
) -> Result<IssueReport, IncidentError> {
    // The customers' locks, all at once in id order (the order of `db::locks`), held from here
    // to the commit: the credit granted, the grants the batch attributes applied credit to, and
    // the storage packs' provisioning events are then never interleaved with another writer of
    // the same customer.
    let customers: Vec<i64> = ready.iter().map(|a| a.customer_id).collect();
    crate::db::locks::lock_customers(conn, &customers)?;
    let mut specs = Vec::new();
    // Money moves for a credit, a free month (both to the customer's credit) and a donation
    // (to donations payable, owed to the charity); storage books nothing.
    let paid: Vec<&&Assessment> = ready
        .iter()
        .filter(|a| {
            matches!(a.option, Some("credit" | "free_month" | "donation")) && a.granted() > Decimal::ZERO
        })
        .collect();
    // Where the grant's money goes: the customer's credit, or what is owed to the charity.
    let destination = |a: &Assessment, currency: Currency| match a.option {
        Some("donation") => codes::donations_payable(currency),
        _ => codes::credit(currency, a.customer_id),
    };
    for a in &paid {
        let currency = crate::ledger::currency_from_code(&a.currency)?;
        specs.push(expense_account(currency));
        specs.push(destination(a, currency));
    }
    let accounts = Account::open_many(conn, &specs)?;
    let title = subject.title.0.get("en").map_or("", String::as_str);
    let mut entries = Vec::with_capacity(paid.len());
    for a in &paid {
        let currency = crate::ledger::currency_from_code(&a.currency)?;
        let amount = Money::new(a.granted(), currency);
        let (kind, memo) = match a.option {
            Some("free_month") => (
                crate::ledger::EntryKind::CompensationFreeMonth,
                format!("Outage compensation, a free month: {title}"),
            ),
            Some("donation") => (
                crate::ledger::EntryKind::CompensationDonated,
                format!(
                    "Outage compensation donated to {}: {title}",
                    subject.alternatives.charity().unwrap_or_default()
                ),
            ),
            _ => (crate::ledger::EntryKind::CompensationGranted, format!("Outage compensation: {title}")),
        };
        let account = |spec: AccountSpec| {
            accounts
                .get(&spec.code)
                .copied()
                .ok_or_else(|| IncidentError::Corrupt(format!("account {}", spec.code)))
        };
        entries.push(NewEntry {
            idempotency_key: format!("compensation:{}:{}", subject.id, a.subscription_id),
            kind: kind.into(),
            memo,
            occurred_at: subject.ended_at,
            reference: Some(Reference { kind: "incident".to_owned(), id: subject.id.to_string() }),
            postings: vec![
                NewPosting::debit(account(expense_account(currency))?, amount),
                NewPosting::credit(account(destination(a, currency))?, amount),
            ],
        });
    }
    let posted = post_entries(conn, &entries)?;
    let mut entry_of: HashMap<i64, i64> = HashMap::new();
    for (a, p) in paid.iter().zip(&posted) {
        entry_of.insert(a.subscription_id, p.id().0);
    }
    let column = |f: fn(&Assessment) -> String| ready.iter().map(|a| f(a)).collect::<Vec<_>>();
    let inserted: Vec<SubscriptionId> = diesel::sql_query(
        "INSERT INTO compensation_grants (incident_id, subscription_id, customer_id, currency, amount,
                                          downtime_seconds, percent, reason, option, ledger_entry_id, created_at,
                                          by_month)
         SELECT $1, v.sub, v.cust, v.cur, v.amount, v.down, v.pct, v.reason, v.opt, v.entry, $2, v.months
           FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::numeric[], $7::bigint[], $8::numeric[],
                       $9::text[], $10::text[], $11::bigint[], $12::jsonb[])
                AS v(sub, cust, cur, amount, down, pct, reason, opt, entry, months)
         ON CONFLICT (incident_id, subscription_id) DO NOTHING
         RETURNING subscription_id AS id",
    )
    .bind::<BigInt, _>(subject.id)
    .bind::<Timestamptz, _>(now)
    .bind::<Array<BigInt>, _>(ready.iter().map(|a| a.subscription_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(ready.iter().map(|a| a.customer_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(column(|a| a.currency.clone()))
    .bind::<Array<Numeric>, _>(ready.iter().map(|a| a.granted()).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(ready.iter().map(|a| a.downtime_seconds).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(ready.iter().map(|a| a.percent).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(column(|a| a.reason.to_owned()))
    .bind::<Array<Text>, _>(column(|a| a.option.unwrap_or("credit").to_owned()))
    .bind::<Array<Nullable<BigInt>>, _>(ready.iter().map(|a| entry_of.get(&a.subscription_id).copied()).collect::<Vec<_>>())
    .bind::<Array<diesel::sql_types::Jsonb>, _>(
        ready
            .iter()
            .map(|a| {
                serde_json::Value::Object(
                    a.by_month.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.to_string()))).collect(),
                )
            })
            .collect::<Vec<_>>(),
    )
    .load(conn)?;
    if inserted.len() != ready.len() {
        // Someone else granted part of this chunk under our feet: the advisory lock makes that
        // impossible, so refuse rather than leave a ledger entry without its grant.
        return Err(IncidentError::Corrupt("compensation grants raced".to_owned()));
    }
    for a in ready {
        report.granted += 1;
        match a.option {
            Some("storage") => report.storage += 1,
            _ if a.amount.is_zero() => report.nothing += 1,
            Some("donation") => report.donations += 1,
            Some("free_month") => {
                report.free_months += 1;
                report.credits += 1;
            }
            _ => report.credits += 1,
        }
    }
    let storage: Vec<i64> =
        ready.iter().filter(|a| a.option == Some("storage")).map(|a| a.subscription_id).collect();
    give_storage(conn, subject, &storage, now)?;
    Ok(report)
}

/// The storage pack (online storage) that gives at least `gb`: the smallest such pack plan.
fn storage_plan(conn: &mut PgConnection, gb: i32) -> Result<String, IncidentError> {
    use crate::db::schema::{plans, products};
    plans::table
        .inner_join(products::table)
        .filter(plans::kind.eq("pack"))
        .filter(products::kind.eq("storage"))
        .filter(plans::storage_gb.ge(gb))
        .order((plans::storage_gb, plans::code))
        .select(plans::code)
        .first::<String>(conn)
        .optional()?
        .ok_or_else(|| IncidentError::Invalid(format!("no storage pack of {gb} GB or more")))
}

/// Gives the storage chosen instead of a credit: a complimentary pack on the subscription from
/// today for the offer's months, made once per grant (unique `grant_id`), never billed, with a
/// provisioning event like any pack (its end is announced by the daily advance when it comes).
/// A subscription that has ended gets no pack (its grant stays recorded).
fn give_storage(
    conn: &mut PgConnection,
    subject: &Subject,
    subscriptions: &[i64],
    now: DateTime<Utc>,
) -> Result<(), IncidentError> {
    let Some((gb, months)) = subject.alternatives.storage() else {
        return Ok(());
    };
    if subscriptions.is_empty() {
        return Ok(());
    }
    let plan = storage_plan(conn, gb)?;
    let today = now.date_naive();
    let months = u32::try_from(months).map_err(|_| IncidentError::Invalid(format!("months {months}")))?;
    let until = today
        .checked_add_months(chrono::Months::new(months))
        .ok_or_else(|| IncidentError::Invalid(format!("months {months}")))?;
    #[derive(QueryableByName)]
    struct Made {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        customer_id: i64,
        #[diesel(sql_type = BigInt)]
        grant_id: i64,
    }
    let made: Vec<Made> = diesel::sql_query(
        "INSERT INTO subscription_packs (subscription_id, customer_id, plan_code, starts_on, ends_on,
                                         created_at, start_announced, grant_id)
         SELECT g.subscription_id, g.customer_id, $3, $4, $5, $6, true, g.id
           FROM compensation_grants g JOIN subscriptions s ON s.id = g.subscription_id
          WHERE g.incident_id = $1 AND g.subscription_id = ANY ($2) AND g.option = 'storage'
            AND s.status <> 'ended'
          ORDER BY g.id
         ON CONFLICT (grant_id) WHERE grant_id IS NOT NULL DO NOTHING
         RETURNING id, customer_id, grant_id",
    )
    .bind::<BigInt, _>(subject.id)
    .bind::<Array<BigInt>, _>(subscriptions)
    .bind::<Text, _>(&plan)
    .bind::<diesel::sql_types::Date, _>(today)
    .bind::<diesel::sql_types::Date, _>(until)
    .bind::<Timestamptz, _>(now)
    .load(conn)?;
    for m in made {
        crate::subscriptions::provisioning::record(
            conn,
            crate::ids::CustomerId(m.customer_id),
            "pack_added",
            today,
            serde_json::json!({
                "pack": m.id, "plan": plan, "complimentary": true, "grant": m.grant_id,
                "incident": subject.id, "until": until,
            }),
            now,
        )?;
    }
    Ok(())
}

/// What a resolved incident gives one customer, for their incidents page: the credit, or why
/// there is none. The same assessment finance previews and issues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entitlement {
    /// Still under way: what it gives is known once it is resolved.
    Unresolved,
    /// No credit is due (a free month, availability within the target, ...).
    Nothing { reason: Reason, downtime_seconds: i64, percent: Decimal },
    /// A credit of `amount` on the next invoice, or one of the incident's alternatives instead;
    /// `free_month` is what a free month is worth when it is offered and worth at least that.
    Credit {
        amount: Money,
        free_month: Option<Money>,
        /// What issuing would grant now: the customer's choice, or once choosing is closed the
        /// default (the credit when the default is not open to them); `None` while they may
        /// still choose.
        option: Option<Kind>,
        reason: Reason,
        downtime_seconds: i64,
        percent: Decimal,
    },
}

/// The customer's entitlement for an incident that touched them (`UnknownIncident` if it did
/// not). Several subscriptions add up; the reason shown is the largest one's.
pub fn entitlement(
    conn: &mut PgConnection,
    customer: i64,
    incident: i64,
    seller: &Seller,
    now: DateTime<Utc>,
) -> Result<Entitlement, IncidentError> {
    let subject = match subject(conn, incident, now) {
        Ok(subject) => subject,
        Err(IncidentError::NotResolved) => return Ok(Entitlement::Unresolved),
        Err(other) => return Err(other),
    };
    let affected = affected_subscriptions(conn, incident)?;
    let mine: Vec<i64> = diesel::sql_query(
        "SELECT id FROM subscriptions WHERE customer_id = $1 AND id = ANY ($2) ORDER BY id",
    )
    .bind::<BigInt, _>(customer)
    .bind::<Array<BigInt>, _>(&affected)
    .load::<SubscriptionId>(conn)?
    .into_iter()
    .map(|s| s.id)
    .collect();
    let policies = policies(conn)?;
    let assessed = assess(conn, &subject, &mine, &policies, seller, now)?;
    let Some(largest) = assessed.iter().max_by_key(|a| (a.amount, a.downtime_seconds)) else {
        return Err(IncidentError::UnknownIncident(incident));
    };
    let reason = Reason::parse(largest.reason)
        .ok_or_else(|| IncidentError::Corrupt(format!("compensation reason {:?}", largest.reason)))?;
    let total: Decimal = assessed.iter().map(|a| a.amount).sum();
    if total.is_zero() {
        return Ok(Entitlement::Nothing {
            reason,
            downtime_seconds: largest.downtime_seconds,
            percent: largest.percent,
        });
    }
    let currency = crate::ledger::currency_from_code(&largest.currency)?;
    // A free month for every subscription that is owed something, or none.
    let owed: Vec<&Assessment> = assessed.iter().filter(|a| a.amount > Decimal::ZERO).collect();
    let free_month =
        owed.iter().map(|a| a.free_month).sum::<Option<Decimal>>().map(|month| Money::new(month, currency));
    Ok(Entitlement::Credit {
        amount: Money::new(total, currency),
        free_month,
        option: largest.option.and_then(Kind::parse),
        reason,
        downtime_seconds: largest.downtime_seconds,
        percent: largest.percent,
    })
}

/// A customer's pick for an incident that offers a choice: honoured until the deadline. A
/// customer whose compensation is nothing has nothing to choose between.
pub fn choose(
    conn: &mut PgConnection,
    customer: i64,
    incident: i64,
    option: &str,
    seller: &Seller,
    now: DateTime<Utc>,
) -> Result<(), IncidentError> {
    let kind = Kind::parse(option).ok_or_else(|| IncidentError::Invalid(format!("option {option:?}")))?;
    let deadline: Option<DateTime<Utc>> = incidents::table
        .find(incident)
        .select(incidents::choice_deadline)
        .first(conn)
        .optional()?
        .ok_or(IncidentError::UnknownIncident(incident))?;
    let offered = alternatives::of_incident(conn, incident)?;
    let Some(deadline) = deadline.filter(|_| offered.is_choice()) else {
        return Err(IncidentError::NoChoice);
    };
    if offered.get(kind).is_none() {
        return Err(IncidentError::NotOffered);
    }
    if now > deadline {
        return Err(IncidentError::ChoiceClosed);
    }
    let subscriptions: Vec<i64> = affected_subscriptions(conn, incident)?;
    let mine: Vec<SubscriptionId> =
        diesel::sql_query("SELECT id FROM subscriptions WHERE customer_id = $1 AND id = ANY ($2)")
            .bind::<BigInt, _>(customer)
            .bind::<Array<BigInt>, _>(&subscriptions)
            .load(conn)?;
    if mine.is_empty() {
        return Err(IncidentError::UnknownIncident(incident));
    }
    match entitlement(conn, customer, incident, seller, now)? {
        Entitlement::Nothing { .. } => return Err(IncidentError::NothingToChoose),
        Entitlement::Credit { free_month: None, .. } if kind == Kind::FreeMonth => {
            return Err(IncidentError::NotOffered);
        }
        _ => {}
    }
    for s in mine {
        diesel::sql_query(
            "INSERT INTO compensation_choices (incident_id, subscription_id, customer_id, option, chosen_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (incident_id, subscription_id) DO UPDATE SET option = EXCLUDED.option, chosen_at = EXCLUDED.chosen_at
             WHERE NOT EXISTS (SELECT 1 FROM compensation_grants g WHERE g.incident_id = $1 AND g.subscription_id = $2)",
        )
        .bind::<BigInt, _>(incident)
        .bind::<BigInt, _>(s.id)
        .bind::<BigInt, _>(customer)
        .bind::<Text, _>(kind.as_str())
        .bind::<Timestamptz, _>(now)
        .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_is_the_calendar_month_of_the_start() {
        let start = Utc.with_ymd_and_hms(2026, 2, 14, 10, 0, 0).unwrap();
        let p = period_of(start);
        assert_eq!(p.seconds(), 28 * 86_400);
        assert_eq!(p.start, Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap().timestamp());
        let december = period_of(Utc.with_ymd_and_hms(2026, 12, 31, 23, 0, 0).unwrap());
        assert_eq!(december.end, Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap().timestamp());
    }

    #[test]
    fn an_incident_into_the_next_month_touches_both() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let periods = periods_of(t("2026-12-31T22:30:00Z"), t("2027-01-02T18:00:00Z"));
        assert_eq!(periods.iter().map(|p| month_key(*p)).collect::<Vec<_>>(), ["2026-12", "2027-01"]);
        assert_eq!(periods[0].end, periods[1].start);
        // Ending exactly at midnight does not touch the next month.
        assert_eq!(periods_of(t("2026-11-30T20:00:00Z"), t("2026-12-01T00:00:00Z")).len(), 1);
        assert_eq!(periods_of(t("2026-11-03T10:00:00Z"), t("2026-11-03T12:00:00Z")).len(), 1);
    }

    #[test]
    fn downtime_buckets() {
        assert_eq!(bucket(0), "0");
        assert_eq!(bucket(3600), "<1h");
        assert_eq!(bucket(3601), "1-4h");
        assert_eq!(bucket(72 * 3600), "24-72h");
        assert_eq!(bucket(72 * 3600 + 1), ">72h");
    }
}
