//! The simulated year: a seeded, deterministic run of customers over fourteen months of days.
//! Each day applies random operations through the functions the web, the CLI and the jobs
//! call (sign-ups with and without the free month, cancelling in and after it, packs added,
//! removed and switched, accounts closed, bank statements paying exactly, short, over and
//! naming several invoices, SEPA collections settled and returned, PayPal captures, refunds and
//! chargebacks in any order, credit notes, outages and their compensation), the daily dunning
//! run (customers whose direct debits come back pay late or not at all), and the daily
//! billing run (skipped, twice, two at once, or killed at the instant before its commit and
//! run again). After every day the invariants hold:
//!
//! - `ledger verify` is healthy, sub-ledgers included, and no customer credit is negative;
//! - no invoice line covers a day of the free month or a day after the subscription's end;
//! - every paid day of the mailbox is billed exactly once (no overlap, no gap, and after a
//!   day's run nothing begun is unbilled);
//! - invoice and credit note numbers are gapless per series and year;
//! - nobody is suspended who has no overdue invoice for services, and everybody who has paid
//!   them is active again, each change with its provisioning event;
//! - replaying the day's bank statement (payments, debits and returns), webhooks,
//!   compensation, jobs and run changes nothing.
//!
//! A failure names the seed and the day: `KONTOR_SIM_SEED=<seed>` replays it exactly.
//! `KONTOR_SIM_CUSTOMERS` (default 100) and `KONTOR_SIM_DAYS` (default 425) make it bigger;
//! `KONTOR_SIM_NEVER_PAYING=<per mille>` (default 80) sets the share of customers who never
//! pay (they walk the whole ladder), `KONTOR_SIM_DUNNING=off` leaves the dunning out.

use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Numeric, Text};
use iso_currency::Currency;
use kontor::accounts::User;
use kontor::config::Settings;
use kontor::money::Money;
use kontor::payments::bank::statement::Movement;
use kontor::subscriptions::changes::{self, ChangeRequest};
use kontor::subscriptions::trial::Start;
use rust_decimal::Decimal;

use crate::support::TestDb;

/// splitmix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A customer of the simulation.
struct Member {
    user: User,
    customer: i64,
    /// False for those who never pay anything (no mandate, no transfer, no PayPal).
    pays: bool,
}

/// Something done today that, done again, must change nothing.
enum Replay {
    Statement(Vec<u8>),
    Webhook(String),
    Compensation(i64),
}

struct Sim {
    db: TestDb,
    settings: Settings,
    billing: kontor::subscriptions::Billing,
    rng: Rng,
    seed: u64,
    members: Vec<Member>,
    replays: Vec<Replay>,
    today: NaiveDate,
    now: DateTime<Utc>,
    next_id: u64,
    /// Incident in progress: (id, resource, started).
    outage: Option<(i64, String, DateTime<Utc>)>,
    /// Days a run did not finish (skipped, or killed and not yet run again).
    unbilled_days: bool,
    /// The simulation's own record of invoices it paid in full by one exact transfer: number
    /// and day (the reports' payment behaviour must date and name them the same).
    paid_exactly: Vec<(String, NaiveDate)>,
    /// `KONTOR_SIM_DUNNING=off` runs the year without the dunning (no notices, no suspensions).
    dunning: bool,
    /// Per mille of sign-ups who never pay (`KONTOR_SIM_NEVER_PAYING`, default 80: the
    /// provider's 8 % who do not pay after the free month).
    never_paying: u64,
}

const COUNTRIES: [(&str, &str, Currency); 6] = [
    ("DE", "de", Currency::EUR),
    ("AT", "de", Currency::EUR),
    ("FR", "fr", Currency::EUR),
    ("NL", "nl", Currency::EUR),
    ("CH", "de", Currency::CHF),
    ("SE", "sv", Currency::SEK),
];
const PACKS: [&str; 3] = ["mail_pack_10gb", "storage_pack_50gb", "mail_pack_100gb"];

impl Sim {
    fn fail(&self, what: &str) -> ! {
        panic!("simulated year: seed {} day {}: {what}", self.seed, self.today)
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn request(&self, member: &Member) -> ChangeRequest<'_> {
        ChangeRequest {
            billing: &self.billing,
            customer: kontor::ids::CustomerId(member.customer),
            actor: member.user.id,
            ip: "203.0.113.9",
            now: self.now,
        }
    }

    fn sign_up(&mut self) {
        let n = self.id();
        let (country, language, currency) = COUNTRIES[self.rng.below(COUNTRIES.len() as u64) as usize];
        let email = format!("sim{n}@sim.example");
        let mut conn = self.db.conn();
        let customer: i64 = diesel::sql_query(
            "INSERT INTO customers (email, name, country, language, currency, street, postal_code, city)
             VALUES ($1, $2, $3, $4, $5, 'Simstraße 1', '10115', 'Berlin') RETURNING id AS n",
        )
        .bind::<Text, _>(&email)
        .bind::<Text, _>(format!("Sim Person {n}"))
        .bind::<Text, _>(country)
        .bind::<Text, _>(language)
        .bind::<Text, _>(currency.code())
        .get_result::<crate::support::Count>(&mut conn)
        .unwrap()
        .n;
        diesel::sql_query(
            "INSERT INTO users (email, role, customer_id, language, email_verified_at) VALUES ($1, 'customer', $2, $3, now())",
        )
        .bind::<Text, _>(&email)
        .bind::<BigInt, _>(customer)
        .bind::<Text, _>(language)
        .execute(&mut conn)
        .unwrap();
        let user = User::by_email(&mut conn, &email).unwrap().unwrap();
        // Most take the free month (refused now and then: one per network and day).
        let mode = if self.rng.chance(750) { Start::Trial } else { Start::Paid };
        let ip = format!("198.51.{}.{}", n % 250, n % 7);
        let started = conn.transaction(|c| {
            kontor::subscriptions::trial::start(c, &self.billing, &user, mode, None, &ip, self.now)
        });
        if started.is_err() {
            conn.transaction(|c| {
                kontor::subscriptions::trial::start(c, &self.billing, &user, Start::Paid, None, &ip, self.now)
            })
            .unwrap();
        }
        let pays = self.never_paying == 0 || !self.rng.chance(self.never_paying);
        let direct_debit = pays && currency == Currency::EUR && self.rng.chance(300);
        if direct_debit {
            let lang = kontor::i18n::Lang::supported(language).unwrap();
            conn.transaction(|c| {
                kontor::payments::sepa::create_mandate(
                    c,
                    &kontor::payments::sepa::MandateRequest {
                        customer: kontor::ids::CustomerId(customer),
                        actor: Some(user.id),
                        ip: "203.0.113.9",
                        debtor_name: "Sim Person",
                        iban: "DE89370400440532013000",
                        bic: "",
                        accepted: true,
                        language: &lang,
                        creditor_name: &self.settings.seller.name,
                        creditor_id: &self.settings.sepa.creditor_id,
                        today: self.today,
                        now: self.now,
                    },
                )
            })
            .unwrap();
        }
        self.members.push(Member { user, customer, pays });
    }

    /// A customer's own changes: packs, cancelling, undoing it, closing.
    fn change(&mut self, index: usize) {
        let roll = self.rng.below(100);
        let pack = PACKS[self.rng.below(PACKS.len() as u64) as usize];
        let member = &self.members[index];
        let mut conn = self.db.conn();
        let request = self.request(member);
        // Refusals (nothing to cancel, pack already ending, ...) are answers, not failures:
        // each must leave everything as it was, which the invariants check.
        let _ = match roll {
            0..=34 => conn.transaction(|c| changes::add_pack(c, &request, pack).map(|_| ())),
            35..=54 => {
                let packs = own_packs(&mut conn, member.customer);
                match packs.first() {
                    Some(id) => conn.transaction(|c| changes::remove_pack(c, &request, *id).map(|_| ())),
                    None => Ok(()),
                }
            }
            55..=64 => {
                let packs = own_packs(&mut conn, member.customer);
                match packs.first() {
                    Some(id) => {
                        conn.transaction(|c| changes::switch_pack(c, &request, *id, pack).map(|_| ()))
                    }
                    None => Ok(()),
                }
            }
            65..=84 => conn.transaction(|c| changes::cancel(c, &request).map(|_| ())),
            85..=94 => conn.transaction(|c| changes::reactivate(c, &request).map(|_| ())),
            _ => {
                let site = self.settings.site();
                let closed = conn.transaction(|c| {
                    kontor::closing::close_account(
                        c,
                        &self.billing,
                        &site,
                        &member.user,
                        "203.0.113.9",
                        self.now,
                    )
                });
                if let Err(error) = closed {
                    self.fail(&format!("closing failed: {error}"));
                }
                Ok(())
            }
        };
    }

    /// Today's bank statement: open transfer invoices paid exactly, short, over, or naming
    /// several invoices in the remittance text (of one customer, or two).
    fn bank_statement(&mut self, mut movements: Vec<Movement>) {
        let open = self.payable(open_invoices(&mut self.db.conn(), "EUR", false));
        let mut i = 0;
        while i < open.len() {
            let (_, number, reference, due) = &open[i];
            if !self.rng.chance(250) {
                i += 1;
                continue;
            }
            let key = format!("SIM-{}", self.id());
            let eur = |amount: Decimal| Money::new(amount, Currency::EUR);
            let mut m = match self.rng.below(10) {
                0 if *due > Decimal::ONE => {
                    Movement::transfer(eur(*due - Decimal::new(30, 2)), self.today, &key)
                }
                1 => Movement::transfer(eur(*due + Decimal::new(500, 2)), self.today, &key),
                2 if i + 1 < open.len() => {
                    let (_, next, _, next_due) = &open[i + 1];
                    let mut m = Movement::transfer(eur(*due + *next_due), self.today, &key);
                    m.remittance = Some(format!("Rechnungen {number} und {next}"));
                    i += 1;
                    m
                }
                _ => {
                    self.paid_exactly.push((number.clone(), self.today));
                    Movement::transfer(eur(*due), self.today, &key)
                }
            };
            if m.remittance.is_none() {
                m.creditor_reference = Some(reference.clone());
            }
            m.debtor_name = Some("Sim Payer".to_owned());
            movements.push(m);
            i += 1;
        }
        if movements.is_empty() {
            return;
        }
        let mut xml = Vec::new();
        let id = format!("SIM-STMT-{}", self.today);
        kontor::payments::bank::statement::write_camt053(
            &mut xml,
            &kontor::payments::bank::statement::StatementHeader {
                id: &id,
                iban: &self.settings.seller.iban,
                created: self.today,
            },
            movements,
        )
        .unwrap();
        self.import(&xml);
        self.replays.push(Replay::Statement(xml));
    }

    /// Open invoices of the customers who pay.
    fn payable(&self, open: Vec<OpenInvoice>) -> Vec<OpenInvoice> {
        let never: std::collections::HashSet<i64> =
            self.members.iter().filter(|m| !m.pays).map(|m| m.customer).collect();
        open.into_iter().filter(|(customer, ..)| !never.contains(customer)).collect()
    }

    fn import(&self, xml: &[u8]) {
        let returns = self.settings.sepa_returns();
        let accounts = self.settings.own_bank_accounts();
        let request = kontor::payments::bank::import::ImportRequest {
            file_name: "sim.xml",
            actor: None,
            now: self.now,
            returns: &returns,
            accounts: &accounts,
        };
        if let Err(error) =
            kontor::payments::bank::import::import(&mut self.db.conn(), xml, &request, &|_| {})
        {
            self.fail(&format!("statement import failed: {error}"));
        }
    }

    /// Direct debits: exported every Monday for what is due; on the collection day the bank
    /// credits each on the statement, and three days later one in twenty comes back.
    fn direct_debits(&mut self) -> Vec<Movement> {
        use chrono::Datelike;
        let export = self.settings.sepa_export();
        if self.today.weekday() == chrono::Weekday::Mon {
            let collection_date = self.today + Days::new(5);
            kontor::payments::sepa::export::export_collections(
                &mut self.db.conn(),
                &export,
                collection_date,
                self.today,
                self.now,
            )
            .unwrap_or_else(|e| self.fail(&format!("SEPA export failed: {e}")));
        }
        #[derive(QueryableByName)]
        struct Collection {
            #[diesel(sql_type = Text)]
            end_to_end_id: String,
            #[diesel(sql_type = Numeric)]
            amount: Decimal,
            #[diesel(sql_type = Text)]
            status: String,
        }
        let collections: Vec<Collection> = diesel::sql_query(
            "SELECT end_to_end_id, amount, status FROM direct_debit_collections
              WHERE export_id IS NOT NULL
                AND ((status = 'pending' AND collection_date <= $1) OR (status = 'settled' AND collection_date = $1 - 3))
              ORDER BY id",
        )
        .bind::<Date, _>(self.today)
        .load(&mut self.db.conn())
        .unwrap();
        let mut movements = Vec::new();
        for c in collections {
            let amount = Money::new(c.amount, Currency::EUR);
            let mut m = Movement::transfer(amount, self.today, &format!("SIM-DD-{}", self.id()));
            m.end_to_end_id = Some(c.end_to_end_id);
            if c.status == "settled" {
                if !self.rng.chance(50) {
                    continue;
                }
                m.credit = false;
                m.return_reason = Some("MD06".to_owned());
            }
            movements.push(m);
        }
        movements
    }

    /// PayPal: captures of open invoices in any currency; later refunds (part or whole) and
    /// chargebacks, their events delivered in any order (a refund before its capture waits).
    fn paypal(&mut self) {
        for currency in ["EUR", "CHF", "SEK"] {
            let open = self.payable(open_invoices(&mut self.db.conn(), currency, true));
            for (_, number, _, due) in open {
                if !self.rng.chance(40) {
                    continue;
                }
                let capture = format!("SIMCAP{}", self.id());
                let amount = serde_json::json!({ "currency_code": currency, "value": due.to_string() });
                let completed = event(
                    &format!("WH-SIM-{}", self.id()),
                    "PAYMENT.CAPTURE.COMPLETED",
                    serde_json::json!({ "id": capture, "status": "COMPLETED", "amount": amount,
                                        "final_capture": true, "invoice_id": number }),
                );
                let after = match self.rng.below(10) {
                    0 | 1 => Some(("PAYMENT.CAPTURE.REFUNDED", (due / Decimal::TWO).round_dp(2))),
                    2 => Some(("PAYMENT.CAPTURE.REFUNDED", due)),
                    3 => Some(("PAYMENT.CAPTURE.REVERSED", due)),
                    _ => None,
                };
                let mut events = vec![completed];
                if let Some((kind, value)) = after {
                    let refund = serde_json::json!({
                        "id": format!("SIMREF{}", self.id()), "status": "COMPLETED",
                        "amount": { "currency_code": currency, "value": value.to_string() },
                        "links": [{ "href": format!("https://api.sandbox.paypal.com/v2/payments/captures/{capture}"),
                                    "rel": "up", "method": "GET" }],
                    });
                    events.push(event(&format!("WH-SIM-{}", self.id()), kind, refund));
                    if self.rng.chance(500) {
                        events.reverse();
                    }
                }
                for raw in events {
                    self.webhook(&raw);
                    self.replays.push(Replay::Webhook(raw));
                }
            }
        }
    }

    fn webhook(&self, raw: &str) {
        let publishing = self.settings.publishing();
        let received = self.db.conn().transaction(|c| {
            kontor::payments::paypal::webhooks::receive(c, raw, &self.billing, &publishing, self.now)
        });
        if let Err(error) = received {
            self.fail(&format!("webhook failed: {error}"));
        }
    }

    /// Finance credits an invoice now and then, in full or in part.
    fn credit_note(&mut self) {
        let numbers: Vec<String> = kontor::db::schema::invoices::table
            .filter(kontor::db::schema::invoices::kind.eq("invoice"))
            // Fee and interest invoices of notices are left to the dunning.
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "NOT EXISTS (SELECT 1 FROM dunning_notices n WHERE n.charge_invoice_id = invoices.id)",
            ))
            .order(kontor::db::schema::invoices::id.desc())
            .limit(20)
            .select(kontor::db::schema::invoices::number)
            .load(&mut self.db.conn())
            .unwrap();
        let Some(number) = numbers.get(self.rng.below(numbers.len().max(1) as u64) as usize) else {
            return;
        };
        let request = kontor::invoicing::credit_note::CreditRequest {
            invoice_number: number,
            amount: None,
            reason: "Kulanz",
            actor: None,
            ip: "sim",
            now: self.now,
        };
        let publishing = self.settings.publishing();
        // Refused when already credited in full: an answer, checked by the invariants.
        let _ = self.db.conn().transaction(|c| {
            kontor::invoicing::credit_note::issue_credit_note(c, &self.billing, &publishing, &request)
        });
    }

    /// Storage outages: one starts now and then, lasts one to three days, and is compensated
    /// (twice, from two threads: each credit once).
    fn outages(&mut self) {
        use kontor::audit::Actor;
        use kontor::incidents::Texts;
        use kontor::incidents::incident::{self, Kind, NewIncident};
        let site = self.settings.site();
        let texts = |en: &str| Texts::parse([("en".to_owned(), en.to_owned())]).unwrap();
        match self.outage.take() {
            None if self.rng.chance(20) => {
                let resource = if self.rng.chance(500) { "fs19" } else { "fs20" }.to_owned();
                let new = NewIncident {
                    kind: Kind::Incident,
                    severity: "critical".into(),
                    title: texts("Storage down"),
                    services: vec!["storage".into()],
                    resources: vec![resource.clone()],
                    started_at: self.now,
                    ended_at: None,
                    status: "investigating".into(),
                    body: texts("We are on it."),
                    offer: None,
                    idempotency_key: None,
                };
                let id = self
                    .db
                    .conn()
                    .transaction(|c| incident::open(c, &site, &new, &Actor::system("sim"), self.now))
                    .unwrap_or_else(|e| self.fail(&format!("incident failed: {e}")));
                self.outage = Some((id, resource, self.now));
            }
            Some((id, resource, started))
                if self.now - started >= Duration::days(1 + self.rng.below(3) as i64) =>
            {
                self.db
                    .conn()
                    .transaction(|c| {
                        incident::resolve(
                            c,
                            &site,
                            id,
                            Some(self.now),
                            &texts("Fixed."),
                            None,
                            &Actor::system("sim"),
                            self.now,
                        )
                    })
                    .unwrap_or_else(|e| self.fail(&format!("resolving failed: {e}")));
                let pool = self.db.pool();
                let now = self.now;
                std::thread::scope(|scope| {
                    for _ in 0..2 {
                        let (pool, site) = (pool.clone(), site.clone());
                        scope.spawn(move || {
                            kontor::incidents::compensation::issue(
                                &pool,
                                &site,
                                &kontor::tax::Seller::default(),
                                id,
                                &Actor::system("sim"),
                                now,
                            )
                            .unwrap()
                        });
                    }
                });
                self.replays.push(Replay::Compensation(id));
                let _ = resource;
            }
            other => self.outage = other,
        }
    }

    /// The daily jobs: free months ending, cancellations taking effect, settled closed
    /// accounts switched off.
    fn jobs(&self) {
        kontor::subscriptions::advance::advance(&mut self.db.conn(), &self.billing, self.now)
            .unwrap_or_else(|e| self.fail(&format!("advance failed: {e}")));
        kontor::closing::disable_settled(&mut self.db.conn(), self.now)
            .unwrap_or_else(|e| self.fail(&format!("switching off failed: {e}")));
        kontor::incidents::placements::spread_unplaced(&mut self.db.conn()).unwrap();
    }

    /// The day's dunning run (notices, suspensions, reactivations, trial-end reminders).
    fn dunning(&self) {
        if !self.dunning {
            return;
        }
        let publishing = self.settings.publishing();
        let close_account = kontor::closing::for_dunning(&self.billing, &publishing.site, self.now);
        let ctx = kontor::collections::run::RunContext {
            publishing: &publishing,
            close_account: &close_account,
            payment_days: 14,
            today: self.today,
            now: self.now,
            dry_run: false,
            chunk: kontor::collections::run::DEFAULT_CHUNK,
            profile: None,
        };
        kontor::collections::run::run(&self.db.pool(), &ctx, 2)
            .unwrap_or_else(|e| self.fail(&format!("the dunning run failed: {e}")));
        kontor::collections::trial_end::remind(
            &mut self.db.conn(),
            &self.billing,
            &publishing.site,
            self.today,
            self.now,
        )
        .unwrap_or_else(|e| self.fail(&format!("trial-end reminders failed: {e}")));
    }

    fn run(&self) -> kontor::invoicing::batch::Summary {
        let summary = crate::support::invoicing::run_daily(&self.db, self.now, 0);
        if !summary.failed.is_empty() || summary.unfinished > 0 {
            self.fail(&format!("the run failed: {summary:?}"));
        }
        summary
    }

    /// The night's billing run, as cron and people make it happen.
    fn billing(&mut self) {
        match self.rng.below(20) {
            0 => {
                // Skipped tonight: the next run catches up.
                self.unbilled_days = true;
                return;
            }
            1 => {
                self.run();
                self.run();
            }
            2 => {
                std::thread::scope(|scope| {
                    let a = scope.spawn(|| crate::support::invoicing::run_daily(&self.db, self.now, 0));
                    let b = scope.spawn(|| crate::support::invoicing::run_daily(&self.db, self.now, 0));
                    let (a, b) = (a.join().unwrap(), b.join().unwrap());
                    if !a.failed.is_empty() || !b.failed.is_empty() {
                        self.fail(&format!("concurrent runs failed: {a:?} {b:?}"));
                    }
                });
                self.run();
            }
            3 => {
                // Killed at the instant before a chunk's commit, then run again.
                let killed = crate::support::kontor_command()
                    .args(["billing", "run", "--workers", "1", "--chunk", "3"])
                    .env("DATABASE_URL", self.db.url())
                    .env("KONTOR_NOW", self.now.to_rfc3339())
                    .env("KONTOR_FAILPOINT", "batch-before-commit=abort")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .unwrap();
                let _ = killed;
                self.run();
            }
            _ => {
                self.run();
            }
        }
        self.unbilled_days = false;
    }

    fn day(&mut self, customers: u64) {
        self.replays.clear();
        let arriving = if (self.members.len() as u64) < customers { self.rng.below(4) } else { 0 };
        for _ in 0..arriving {
            self.sign_up();
        }
        for index in 0..self.members.len() {
            if self.rng.chance(15) {
                self.change(index);
            }
        }
        let debits = self.direct_debits();
        self.bank_statement(debits);
        self.paypal();
        if self.rng.chance(30) {
            self.credit_note();
        }
        self.outages();
        self.jobs();
        self.billing();
        self.dunning();
        self.check();
        // The same day again: statements, webhooks, bank replies, compensation, jobs and the
        // run, as a retry or a second machine would do them.
        let before = snapshot(&self.db);
        let replays = std::mem::take(&mut self.replays);
        for replay in &replays {
            match replay {
                Replay::Statement(xml) => self.import(xml),
                Replay::Webhook(raw) => self.webhook(raw),
                Replay::Compensation(id) => {
                    kontor::incidents::compensation::issue(
                        &self.db.pool(),
                        &self.settings.site(),
                        &kontor::tax::Seller::default(),
                        *id,
                        &kontor::audit::Actor::system("sim"),
                        self.now,
                    )
                    .unwrap_or_else(|e| self.fail(&format!("compensating again failed: {e}")));
                }
            }
        }
        self.jobs();
        if !self.unbilled_days {
            self.run();
        }
        self.dunning();
        let after = snapshot(&self.db);
        if before != after {
            self.fail(&format!("replaying the day changed something:\n before {before}\n after  {after}"));
        }
    }

    fn check(&self) {
        let report = kontor::ledger::verify(&mut self.db.conn()).unwrap();
        if !report.is_healthy() {
            self.fail(&format!("ledger verify: {report}"));
        }
        let overdue_services = format!(
            "EXISTS (SELECT 1 FROM invoice_balances b WHERE b.customer_id = c.id AND b.open_amount > 0 AND b.due_date < '{}'
                       AND NOT EXISTS (SELECT 1 FROM dunning_notices n WHERE n.charge_invoice_id = b.invoice_id))",
            self.today
        );
        let checks: [(&str, String); 8] = [
            (
                "a customer is suspended who has no overdue invoice for services",
                format!(
                    "SELECT count(*) AS n FROM customers c
                      WHERE EXISTS (SELECT 1 FROM suspensions s WHERE s.customer_id = c.id AND s.lifted_at IS NULL)
                        AND NOT {overdue_services}"
                ),
            ),
            (
                "a suspension or its lifting has no provisioning event",
                "SELECT count(*) AS n FROM suspensions s
                  WHERE (SELECT count(*) FROM provisioning_events p WHERE p.customer_id = s.customer_id AND p.kind = 'suspended')
                        < (SELECT count(*) FROM suspensions x WHERE x.customer_id = s.customer_id)
                     OR (SELECT count(*) FROM provisioning_events p WHERE p.customer_id = s.customer_id AND p.kind = 'reactivated')
                        < (SELECT count(*) FROM suspensions x WHERE x.customer_id = s.customer_id AND x.lifted_at IS NOT NULL)"
                    .to_owned(),
            ),
            (
                "an invoice line covers a day of the free month",
                "SELECT count(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                   JOIN subscriptions s ON s.id = i.subscription_id
                  WHERE l.service_from < COALESCE(s.trial_ends_on, s.anchor_date)"
                    .to_owned(),
            ),
            (
                "an invoice line covers a day after the end",
                "SELECT count(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                   JOIN subscriptions s ON s.id = i.subscription_id
                  WHERE i.kind = 'invoice'
                    AND l.service_until > LEAST(COALESCE(s.cancel_on, 'infinity'), COALESCE(s.ended_on, 'infinity'))"
                    .to_owned(),
            ),
            (
                "a paid day of the mailbox is billed twice or left out between two periods",
                "SELECT count(*) AS n FROM (
                   SELECT l.service_from, lag(l.service_until) OVER (PARTITION BY i.subscription_id ORDER BY l.service_from) AS previous
                     FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                     JOIN subscriptions s ON s.id = i.subscription_id
                    WHERE i.kind = 'invoice' AND l.plan_code = s.plan_code) t
                  WHERE previous IS NOT NULL AND service_from <> previous"
                    .to_owned(),
            ),
            (
                "the first paid period is not the first billed",
                "SELECT count(*) AS n FROM subscriptions s
                  WHERE (SELECT min(l.service_from) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                          WHERE i.subscription_id = s.id AND i.kind = 'invoice' AND l.plan_code = s.plan_code)
                        <> COALESCE(s.trial_ends_on, s.anchor_date)"
                    .to_owned(),
            ),
            (
                "numbers have a gap or a repeat in a series and year",
                "SELECT count(*) AS n FROM (
                   SELECT kind, series_year FROM invoices GROUP BY kind, series_year
                   HAVING count(*) <> max(sequence) OR count(DISTINCT sequence) <> count(*)) t"
                    .to_owned(),
            ),
            (
                "a customer's credit is negative",
                "SELECT count(*) AS n FROM (
                   SELECT a.id FROM ledger_accounts a JOIN postings p ON p.account_id = a.id
                    WHERE a.code LIKE '1750-%' GROUP BY a.id HAVING sum(p.amount) > 0) t"
                    .to_owned(),
            ),
        ];
        for (what, sql) in checks {
            let n = crate::support::count(&self.db, &sql);
            if n != 0 {
                self.fail(&format!("{what} ({n} times)"));
            }
        }
        if !self.unbilled_days {
            // After the night's run nothing that has begun is left unbilled.
            let unbilled = crate::support::count(
                &self.db,
                &format!(
                    "SELECT count(*) AS n FROM subscriptions s
                      CROSS JOIN LATERAL (SELECT COALESCE(max(l.service_until), COALESCE(s.trial_ends_on, s.anchor_date)) AS until
                                            FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                                           WHERE i.subscription_id = s.id AND i.kind = 'invoice' AND l.plan_code = s.plan_code) b
                      WHERE b.until <= '{}'
                        AND b.until < LEAST(COALESCE(s.cancel_on, 'infinity'), COALESCE(s.ended_on, 'infinity'))",
                    self.today
                ),
            );
            if unbilled != 0 {
                self.fail(&format!(
                    "{unbilled} subscription(s) have a begun period not invoiced after the run"
                ));
            }
        }
    }
}

fn event(id: &str, kind: &str, resource: serde_json::Value) -> String {
    serde_json::json!({
        "id": id, "event_version": "1.0", "create_time": "2027-01-01T00:00:00Z",
        "resource_type": if kind.contains("REFUND") || kind.contains("REVERS") { "refund" } else { "capture" },
        "resource_version": "2.0", "event_type": kind, "summary": kind, "resource": resource,
    })
    .to_string()
}

/// An open invoice: (customer, number, payment reference, amount open).
type OpenInvoice = (i64, String, String, Decimal);

/// Open invoices in a currency, oldest first; all, or only those of customers without an
/// active mandate (who pay by transfer).
fn open_invoices(conn: &mut PgConnection, currency: &str, any_method: bool) -> Vec<OpenInvoice> {
    #[derive(QueryableByName)]
    struct Invoice {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        customer_id: i64,
        #[diesel(sql_type = Text)]
        number: String,
        #[diesel(sql_type = Text)]
        payment_reference: String,
    }
    let invoices: Vec<Invoice> = diesel::sql_query(
        "SELECT i.id, i.customer_id, i.number, i.payment_reference FROM invoices i
          WHERE i.kind = 'invoice' AND i.currency = $1 AND i.amount_due > 0
            AND ($2 OR NOT EXISTS (SELECT 1 FROM sepa_mandates m WHERE m.customer_id = i.customer_id AND m.status = 'active'))
            AND NOT EXISTS (SELECT 1 FROM dunning_notices n WHERE n.charge_invoice_id = i.id)
          ORDER BY i.id",
    )
    .bind::<Text, _>(currency)
    .bind::<diesel::sql_types::Bool, _>(any_method)
    .load(conn)
    .unwrap();
    let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
    let open = kontor::payments::allocation::open_amounts(conn, &ids).unwrap();
    invoices
        .into_iter()
        .filter_map(|i| {
            let amount =
                open.get(&i.id).map(|m| m.amount()).filter(|a| a.is_sign_positive() && !a.is_zero())?;
            Some((i.customer_id, i.number, i.payment_reference, amount))
        })
        .collect()
}

fn own_packs(conn: &mut PgConnection, customer: i64) -> Vec<i64> {
    use kontor::db::schema::subscription_packs as p;
    p::table
        .filter(p::customer_id.eq(customer))
        .filter(p::ends_on.is_null())
        .filter(p::grant_id.is_null())
        .order(p::id)
        .select(p::id)
        .load(conn)
        .unwrap()
}

/// What a replay must not change: the counts and sums of every table that records money,
/// documents, mail and the platform's events.
fn snapshot(db: &TestDb) -> String {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        s: String,
    }
    let row: Row = diesel::sql_query(
        "SELECT concat_ws(' ',
           (SELECT count(*) FROM invoices), (SELECT count(*) FROM invoice_lines),
           (SELECT count(*) FROM journal_entries), (SELECT count(*) FROM postings),
           (SELECT COALESCE(sum(abs(amount)), 0) FROM postings),
           (SELECT count(*) FROM pending_charges), (SELECT count(*) FROM pending_charges WHERE invoice_id IS NULL),
           (SELECT count(*) FROM payment_receipts), (SELECT count(*) FROM mail_outbox),
           (SELECT count(*) FROM direct_debit_collections), (SELECT count(*) FROM paypal_captures),
           (SELECT count(*) FROM paypal_refunds), (SELECT count(*) FROM compensation_grants),
           (SELECT count(*) FROM subscription_packs), (SELECT count(*) FROM provisioning_events),
           (SELECT count(*) FROM bank_transactions), (SELECT count(*) FROM documents)) AS s",
    )
    .get_result(&mut db.conn())
    .unwrap();
    row.s
}

#[test]
fn a_simulated_year_keeps_every_invariant_every_day() {
    let seed = env_number("KONTOR_SIM_SEED", 20_261_205);
    let customers = env_number("KONTOR_SIM_CUSTOMERS", 100);
    let days = env_number("KONTOR_SIM_DAYS", 425);
    let settings = crate::support::seller_settings();
    let billing = settings.billing();
    let mut sim = Sim {
        db: TestDb::new(),
        billing,
        settings,
        rng: Rng(seed),
        seed,
        members: Vec::new(),
        replays: Vec::new(),
        today: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        now: Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(),
        next_id: 0,
        outage: None,
        unbilled_days: false,
        paid_exactly: Vec::new(),
        dunning: std::env::var("KONTOR_SIM_DUNNING").map_or(true, |v| v != "off"),
        never_paying: env_number("KONTOR_SIM_NEVER_PAYING", 80),
    };
    for _ in 0..days {
        sim.day(customers);
        sim.now += Duration::days(1);
        sim.today = kontor::subscriptions::period::local_date(sim.now, chrono_tz::Europe::Berlin);
    }
    // The year touched what it is about.
    let seen = |sql: &str| crate::support::count(&sim.db, sql);
    assert!(seen("SELECT count(*) AS n FROM invoices WHERE kind = 'invoice'") > customers as i64, "invoices");
    assert!(seen("SELECT count(*) AS n FROM invoices WHERE kind = 'credit_note'") > 0, "credit notes");
    assert!(seen("SELECT count(DISTINCT series_year) AS n FROM invoices") >= 2, "a year boundary");
    assert!(seen("SELECT count(*) AS n FROM payment_receipts") > 0, "payments");
    assert!(
        seen("SELECT count(*) AS n FROM direct_debit_collections WHERE status = 'returned'") > 0,
        "returns"
    );
    assert!(seen("SELECT count(*) AS n FROM paypal_refunds") > 0, "refunds");
    assert!(seen("SELECT count(*) AS n FROM compensation_grants") > 0, "compensation");
    assert!(seen("SELECT count(*) AS n FROM subscriptions WHERE ended_on IS NOT NULL") > 0, "ends");
    reports_match_the_record(&sim);
    if !sim.dunning {
        return;
    }
    assert!(seen("SELECT count(*) AS n FROM dunning_notices") > 0, "reminders");
    assert!(seen("SELECT count(*) AS n FROM trial_end_reminders") > 0, "trial-end reminders");
    // Customers whose direct debits came back and who paid weeks later: suspended, and active
    // again when they paid.
    assert!(seen("SELECT count(*) AS n FROM suspensions") > 0, "suspensions");
    assert!(seen("SELECT count(*) AS n FROM suspensions WHERE lifted_at IS NOT NULL") > 0, "reactivations");
    // Those who never pay walk the whole ladder.
    let never: Vec<String> = sim.members.iter().filter(|m| !m.pays).map(|m| m.customer.to_string()).collect();
    if sim.never_paying == 0 {
        return;
    }
    assert!(!never.is_empty(), "customers who never pay");
    assert!(
        seen(&format!(
            "SELECT count(*) AS n FROM dunning_notices WHERE action = 'termination' AND customer_id IN ({})",
            never.join(",")
        )) > 0,
        "terminations of customers who never pay"
    );
}

/// AR ageing and payment behaviour at the end of the year against the simulation's record:
/// every invoice it paid by one exact transfer is settled that day by transfer, and the
/// ageing equals the invoice list (`kontor invoice list --format csv`) bucketed by hand.
fn reports_match_the_record(sim: &Sim) {
    use kontor::reports::{Filter, ar_ageing, mrr, payment_behaviour};
    let filter = Filter::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), sim.today, None, None).unwrap();
    let mut conn = sim.db.conn();
    let settled: std::collections::HashMap<String, payment_behaviour::Settlement> =
        payment_behaviour::settlements(&mut conn, &filter, "Europe/Berlin")
            .unwrap()
            .into_iter()
            .map(|s| (s.number.clone(), s))
            .collect();
    // The settlement rows the allocations, reversals and credit notes of the year kept equal
    // the sums of the allocations themselves; MRR equals its every-customer-every-month form.
    let recomputed = crate::support::reports::settlements(&mut conn, &filter, "Europe/Berlin");
    assert!(recomputed.len() > 100, "only {} invoices in the year", recomputed.len());
    let mut kept: Vec<_> = settled.values().cloned().collect();
    kept.sort_by(|a, b| a.number.cmp(&b.number));
    assert_eq!(kept, recomputed, "settlement rows equal the allocations summed");
    assert!(recomputed.iter().any(|s| s.paid_on.is_none()) && recomputed.iter().any(|s| s.paid_on.is_some()));
    for country in [None, Some("DE".to_owned())] {
        let narrowed = Filter { country, ..filter.clone() };
        let expected = crate::support::reports::mrr(&mut conn, &narrowed, sim.today);
        assert!(!expected.is_empty());
        assert_eq!(
            mrr::rows(&mut conn, &narrowed, sim.today).unwrap(),
            expected,
            "MRR for {:?}",
            narrowed.country
        );
    }
    assert!(sim.paid_exactly.len() > 10, "the year paid invoices by transfer");
    let mut checked = 0;
    for (number, day) in &sim.paid_exactly {
        // A payment sent for an invoice a credit note then settled is no longer owed.
        let Some(settlement) = settled.get(number) else { continue };
        // Paid later again (a reversal, a second payment) is dated by the last; the record
        // holds the first, so only invoices settled once are compared.
        let payments = crate::support::count(
            &sim.db,
            &format!(
                "SELECT count(*) AS n FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id
                  WHERE i.number = '{number}'"
            ),
        );
        if payments != 1 {
            continue;
        }
        assert_eq!(settlement.paid_on, Some(*day), "{number}: settled on the day the simulation paid it");
        assert_eq!(settlement.method, "bank_transfer", "{number}");
        checked += 1;
    }
    assert!(checked > 10, "only {checked} of the simulation's payments compared");
    let totals = payment_behaviour::rows(&mut conn, &filter, 4, sim.today, "Europe/Berlin").unwrap();
    let total = totals.iter().find(|r| r.is_total()).unwrap();
    let parts: i64 = totals.iter().filter(|r| !r.is_total()).map(|r| r.paid_within).sum();
    assert_eq!(total.paid_within, parts, "the totals row adds up its rows");
    let late = settled.values().filter(|s| s.due_date + Days::new(4) < sim.today).count() as i64;
    assert_eq!(total.invoices, late, "every invoice whose window passed counts once");

    let mut csv = Vec::new();
    let everything = kontor::invoicing::queries::Filter {
        period: None,
        country: None,
        number: None,
        customer: None,
        limit: None,
    };
    kontor::reports::invoice_list::write_csv(&mut conn, &everything, sim.today, &mut csv, 2_000).unwrap();
    let mut expected: std::collections::BTreeMap<(String, &str), (i64, Decimal)> = Default::default();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    for record in reader.records().map(Result::unwrap) {
        let open: Decimal = record[10].parse().unwrap();
        let issued = NaiveDate::parse_from_str(&record[2], "%Y-%m-%d").unwrap();
        if &record[1] != "invoice" || open <= Decimal::ZERO || issued < filter.from {
            continue;
        }
        let due = NaiveDate::parse_from_str(&record[3], "%Y-%m-%d").unwrap();
        let bucket = ar_ageing::Bucket::of((sim.today - due).num_days()).code();
        let entry = expected.entry((record[6].to_owned(), bucket)).or_default();
        entry.0 += 1;
        entry.1 += open;
    }
    let ageing: std::collections::BTreeMap<(String, &str), (i64, Decimal)> =
        ar_ageing::rows(&mut conn, &filter, sim.today)
            .unwrap()
            .into_iter()
            .map(|r| ((r.currency.clone(), r.bucket().code()), (r.invoices, r.open)))
            .collect();
    assert!(!expected.is_empty(), "the year ends with open invoices");
    assert_eq!(ageing, expected, "AR ageing equals the invoice list bucketed by hand");
}
