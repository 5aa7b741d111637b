//! Demo data for `kontor demo`: customers in every country Kontor serves, each with a
//! verified log-in, two staff members, and a few ledger entries. Loading twice changes
//! nothing (unique emails, idempotency keys).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use iso_currency::Currency;

use crate::accounts::password::{self, Password};
use crate::accounts::{AccountError, Role, User};
use crate::db::schema::customers;
use crate::ids::CustomerId;
use crate::ledger::chart::{CustomerAccount, SystemAccount};
use crate::ledger::{LedgerError, NewEntry, NewPosting, post_entry};
use crate::money::Money;
use crate::subscriptions::changes::ChangeRequest;
use crate::subscriptions::trial::{self, Start};
use crate::subscriptions::{Billing, Subscription, SubscriptionError, changes};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Subscription(#[from] SubscriptionError),
    #[error(transparent)]
    Sepa(#[from] crate::payments::sepa::SepaError),
    #[error("demo data: {0}")]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Bank(#[from] crate::payments::bank::BankError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("ECB rates: {0}")]
    Rates(String),
}

/// The demo customer who pays by SEPA direct debit (Lukas, AT): their invoices announce the
/// debit and the next `kontor sepa export` collects them.
pub const DIRECT_DEBIT_CUSTOMER: &str = "lukas.gruber@at.example";

/// The demo customer who never pays (Erik, SE, in Swedish, in SEK): his invoice walks the
/// collections ladder with `kontor dunning run --today ...`, and a statement of his payment to
/// the SEK account waits to be imported once he is suspended.
pub const DUNNING_CUSTOMER: &str = "erik.lindqvist@se.example";

/// Example accounts per currency for `kontor demo`: IBANs of the right country from the SWIFT
/// IBAN registry's examples (valid, but nobody's), with their banks' BICs; CHF's is a Swiss
/// QR-IBAN (SIX's example), so CHF invoices carry a QR-bill with QR references.
pub const EXAMPLE_ACCOUNTS: [(&str, &str, &str); 5] = [
    ("CHF", "CH4431999123000889012", ""),
    ("SEK", "SE4550000000058398257466", "ESSESESS"),
    ("NOK", "NO9386011117947", "DNBANOKK"),
    ("DKK", "DK5000400440116243", "DABADKKK"),
    ("GBP", "GB29NWBK60161331926819", "NWBKGB2L"),
];

/// How the example accounts of Sweden, Norway and Denmark are paid domestically: Bankgirot's
/// own bankgiro number with OCR numbers, the Norwegian example IBAN's account with MOD10 KIDs,
/// and an example FI creditor number with +71 slips.
fn example_domestic_account(currency: &str) -> Option<crate::seller::DomesticAccount> {
    use crate::seller::DomesticAccount;
    match currency {
        "SEK" => Some(DomesticAccount::Bankgiro { number: "5050-1055".to_owned() }),
        "NOK" => Some(DomesticAccount::NorwegianAccount {
            number: "86011117947".to_owned(),
            kid: crate::references::domestic::KidCheck::Mod10,
        }),
        "DKK" => Some(DomesticAccount::Fik71 { creditor: "81234567".to_owned() }),
        _ => None,
    }
}

/// `settings` with an example account for each currency that has none configured.
pub fn with_example_accounts(settings: &crate::config::Settings) -> crate::config::Settings {
    let mut settings = settings.clone();
    for (currency, iban, bic) in EXAMPLE_ACCOUNTS {
        if !settings.seller.accounts.contains_key(currency) {
            settings.seller.accounts.insert(
                currency.to_owned(),
                crate::seller::BankAccount {
                    iban: iban.to_owned(),
                    bic: bic.to_owned(),
                    domestic: example_domestic_account(currency),
                },
            );
        }
    }
    settings
}

/// The password of every demo log-in. Demo data only: never load it into a real database.
pub const DEMO_PASSWORD: &str = "kontor-demo-2026";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCustomer {
    pub email: &'static str,
    pub name: &'static str,
    pub street: &'static str,
    pub postal_code: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    pub language: &'static str,
    pub currency: &'static str,
    /// A business customer's company and VAT ID (its invoices go out as Factur-X).
    pub company: Option<&'static str>,
    pub vat_id: Option<&'static str>,
}

/// `.example` is reserved (RFC 2606): these addresses can never reach a real person.
pub const CUSTOMERS: &[DemoCustomer] = &[
    DemoCustomer {
        email: "anna.schmidt@de.example",
        name: "Anna Schmidt",
        street: "Friedrichstraße 12",
        postal_code: "10117",
        city: "Berlin",
        country: "DE",
        language: "de",
        currency: "EUR",
        company: None,
        vat_id: None,
    },
    DemoCustomer {
        email: "lukas.gruber@at.example",
        name: "Lukas Gruber",
        street: "Mariahilfer Straße 5",
        postal_code: "1060",
        city: "Wien",
        country: "AT",
        language: "de",
        currency: "EUR",
        company: None,
        vat_id: None,
    },
    DemoCustomer {
        email: "lea.meier@ch.example",
        name: "Lea Meier",
        street: "Bahnhofstrasse 21",
        postal_code: "8001",
        city: "Zürich",
        country: "CH",
        language: "de",
        currency: "CHF",
        company: None,
        vat_id: None,
    },
    DemoCustomer {
        email: "chloe.dubois@fr.example",
        name: "Chloé Dubois",
        street: "12 rue de la Paix",
        postal_code: "75002",
        city: "Paris",
        country: "FR",
        language: "fr",
        currency: "EUR",
        company: None,
        vat_id: None,
    },
    DemoCustomer {
        email: "daan.jansen@nl.example",
        name: "Daan Jansen",
        street: "Keizersgracht 100",
        postal_code: "1015 CV",
        city: "Amsterdam",
        country: "NL",
        language: "nl",
        currency: "EUR",
        company: None,
        vat_id: None,
    },
    DemoCustomer {
        email: "sofie.norgaard@dk.example",
        name: "Sofie Nørgaard",
        street: "Strøget 3",
        postal_code: "1160",
        city: "København",
        country: "DK",
        language: "da",
        currency: "DKK",
        company: None,
        vat_id: None,
    },
    DemoCustomer {
        email: "ingrid.hansen@no.example",
        name: "Ingrid Hansen",
        street: "Karl Johans gate 7",
        postal_code: "0154",
        city: "Oslo",
        country: "NO",
        language: "nb",
        currency: "NOK",
        company: None,
        vat_id: None,
    },
    DemoCustomer {
        email: "erik.lindqvist@se.example",
        name: "Erik Lindqvist",
        street: "Drottninggatan 50",
        postal_code: "111 21",
        city: "Stockholm",
        country: "SE",
        language: "sv",
        currency: "SEK",
        company: None,
        vat_id: None,
    },
    // A German business: its invoices are Factur-X e-invoices (the demo sets no threshold).
    DemoCustomer {
        email: "buchhaltung@mueller-webdesign.example",
        name: "Jonas Müller",
        street: "Königstraße 20",
        postal_code: "70173",
        city: "Stuttgart",
        country: "DE",
        language: "de",
        currency: "EUR",
        company: Some("Müller Webdesign GmbH"),
        vat_id: Some("DE811569869"),
    },
    DemoCustomer {
        email: "oliver.smith@gb.example",
        name: "Oliver Smith",
        street: "221 Baker Street",
        postal_code: "NW1 6XE",
        city: "London",
        country: "GB",
        language: "en",
        currency: "GBP",
        company: None,
        vat_id: None,
    },
];

/// Staff log-ins: support reads the back office, admin does everything; each sets up
/// two-factor authentication at the first sign-in, as every staff member must.
pub const STAFF: &[(&str, Role)] =
    &[("support@kontor.example", Role::Support), ("admin@kontor.example", Role::Admin)];

/// Loads the demo data in one transaction and returns the demo customers.
pub fn load(
    conn: &mut PgConnection,
    billing: &Billing,
    now: DateTime<Utc>,
) -> Result<&'static [DemoCustomer], DemoError> {
    // One hash for all demo log-ins: argon2 is slow on purpose.
    let password = Password::parse(DEMO_PASSWORD, &[]).map_err(AccountError::from)?;
    let hash = password::hash(&password).map_err(AccountError::from)?;
    conn.transaction(|conn| {
        for (n, demo) in CUSTOMERS.iter().enumerate() {
            let id = upsert_customer(conn, demo)?;
            upsert_user(conn, demo.email, Role::Customer, Some(id), demo.language, hash.as_str())?;
            // One customer shows credit set against an invoice; the others' invoices ask to be
            // paid, with their payment QR codes.
            if n == 0 {
                post_prepayment(conn, demo, id)?;
            }
        }
        // Everyone but Oliver (GB) subscribes: Sofie (DK) is in her free month, the others pay
        // (Ingrid (NO) too, so the demo's outage owes her something to choose; Anna's invoice is
        // paid from her credit, Lukas's by direct debit), and some have storage packs, so every
        // page has something to show.
        for (n, demo) in CUSTOMERS.iter().enumerate().take(CUSTOMERS.len() - 1) {
            let user = User::by_email(conn, demo.email)?.ok_or(AccountError::UnknownUser)?;
            let customer = user.customer_id.ok_or(AccountError::UnknownUser)?;
            if Subscription::live_of(conn, customer, false)?.is_some() {
                continue;
            }
            let mode = if n == 5 { Start::Trial } else { Start::Paid };
            trial::start(conn, billing, &user, mode, None, &format!("192.0.2.{}", 100 + n), now)?;
            let pack = ["mail_pack_10gb", "storage_pack_50gb", "mail_pack_100gb"].get(n % 4);
            if let Some(pack) = pack {
                changes::add_pack(
                    conn,
                    &ChangeRequest { billing, customer, actor: user.id, ip: "demo", now },
                    pack,
                )?;
            }
        }
        for (email, role) in STAFF {
            upsert_user(conn, email, *role, None, "en", hash.as_str())?;
        }
        let debtor: (i64, String) = customers::table
            .filter(customers::email.eq(DIRECT_DEBIT_CUSTOMER))
            .select((customers::id, customers::language))
            .first(conn)?;
        let customer = CustomerId(debtor.0);
        if crate::payments::sepa::active_mandate(conn, customer)?.is_none() {
            let lang = crate::i18n::Lang::supported(&debtor.1).unwrap_or_else(crate::i18n::Lang::english);
            crate::payments::sepa::create_mandate(
                conn,
                &crate::payments::sepa::MandateRequest {
                    customer,
                    actor: None,
                    ip: "demo",
                    debtor_name: "Lukas Gruber",
                    iban: "AT61 1904 3002 3457 3201",
                    bic: "",
                    accepted: true,
                    language: &lang,
                    creditor_name: "Kontor Hosting GmbH",
                    creditor_id: "DE98ZZZ09999999999",
                    today: billing.today(now),
                    now,
                },
            )?;
        }
        // Every subscription lives on a mail cluster, a storage system and a web server.
        let incident_error = |e: crate::incidents::IncidentError| match e {
            crate::incidents::IncidentError::Database(e) => DemoError::Database(e),
            other => DemoError::Database(diesel::result::Error::QueryBuilderError(other.to_string().into())),
        };
        place_through_the_platform(conn, now).map_err(incident_error)?;
        crate::incidents::placements::spread_unplaced(conn).map_err(incident_error)?;
        demo_incident(conn, now).map_err(incident_error)?;
        Ok(CUSTOMERS)
    })
}

/// The platform reports where Ingrid's files live, as it does through `PUT /api/placements`
/// (the same rows, the same use case): on storage system fs19 since three days ago. A second
/// load changes nothing.
fn place_through_the_platform(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<(), crate::incidents::IncidentError> {
    use crate::incidents::platform_moves::{self, MoveRow};
    let rows = [Ok(MoveRow {
        customer: None,
        mailbox: Some("ingrid.hansen@no.example".to_owned()),
        resource: "fs19".to_owned(),
        service: Some("storage".to_owned()),
        moved_at: now - chrono::Duration::days(3),
    })];
    let outcomes = platform_moves::apply_all(conn, &rows)?;
    match outcomes.iter().find(|o| o.outcome == "refused") {
        Some(refused) => {
            Err(crate::incidents::IncidentError::Invalid(refused.detail.clone().unwrap_or_default()))
        }
        None => Ok(()),
    }
}

/// The idempotency key of the demo incident's first update.
pub const DEMO_INCIDENT_KEY: &str = "demo:incident:fs19:open";

/// A resolved outage of storage system fs19 (where most demo subscriptions live) two days
/// ago, with updates in English and German and a choice of extra storage instead of a credit,
/// so /status, /account/incidents and the back office's compensation preview have something
/// to show. Made once: its updates carry idempotency keys.
fn demo_incident(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<(), crate::incidents::IncidentError> {
    use crate::audit::Actor;
    use crate::incidents::Texts;
    use crate::incidents::incident::{self, Kind, NewIncident, StorageOffer};
    let exists: i64 = crate::db::schema::incident_updates::table
        .filter(crate::db::schema::incident_updates::idempotency_key.eq(DEMO_INCIDENT_KEY))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let texts = |en: &str, de: &str| {
        Texts::parse([("en".to_owned(), en.to_owned()), ("de".to_owned(), de.to_owned())])
    };
    let start = now - chrono::Duration::days(2);
    // The demo subscriptions were made just now; in the story they have been on their
    // resources for a few days, so the outage two days ago touched them.
    let since = now - chrono::Duration::days(3);
    let emails: Vec<&str> = CUSTOMERS.iter().map(|c| c.email).collect();
    diesel::sql_query(
        "UPDATE subscriptions s SET created_at = $1
           FROM customers c WHERE c.id = s.customer_id AND c.email = ANY ($2) AND s.created_at > $1",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(since)
    .bind::<diesel::sql_types::Array<Text>, _>(&emails)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE placements p SET placed_from = $1
           FROM customers c WHERE c.id = p.customer_id AND c.email = ANY ($2)
            AND p.placed_from > $1 AND p.placed_until IS NULL",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(since)
    .bind::<diesel::sql_types::Array<Text>, _>(&emails)
    .execute(conn)?;
    let site = crate::site::Site {
        public_url: "http://localhost".to_owned(),
        mail_domain: "kontor.example".to_owned(),
    };
    let actor = Actor::system("demo");
    let new = NewIncident {
        kind: Kind::Incident,
        severity: "major".to_owned(),
        title: texts("Storage system fs19 unavailable", "Speichersystem fs19 nicht erreichbar")?,
        services: vec!["storage".to_owned()],
        resources: vec!["fs19".to_owned()],
        started_at: start,
        ended_at: None,
        status: "investigating".to_owned(),
        body: texts(
            "Files on storage system fs19 cannot be reached. We are investigating.",
            "Dateien auf dem Speichersystem fs19 sind nicht erreichbar. Wir untersuchen die Ursache.",
        )?,
        offer: Some(
            StorageOffer { deadline: now + chrono::Duration::days(14), storage_gb: 50, months: 3 }.into(),
        ),
        idempotency_key: Some(DEMO_INCIDENT_KEY.to_owned()),
    };
    let id = incident::open(conn, &site, &new, &actor, start)?;
    incident::post_update(
        conn,
        &site,
        id,
        "identified",
        &texts(
            "A failed disk controller is being replaced.",
            "Ein ausgefallener Festplatten-Controller wird ersetzt.",
        )?,
        Some("demo:incident:fs19:identified"),
        &actor,
        start + chrono::Duration::minutes(50),
    )?;
    let end = start + chrono::Duration::minutes(210);
    incident::resolve(
        conn,
        &site,
        id,
        Some(end),
        &texts(
            "The controller was replaced and all files are available again. We apologise.",
            "Der Controller wurde ersetzt, alle Dateien sind wieder verfügbar. Wir bitten um Entschuldigung.",
        )?,
        Some("demo:incident:fs19:resolved"),
        &actor,
        end,
    )?;
    Ok(())
}

fn upsert_user(
    conn: &mut PgConnection,
    email: &str,
    role: Role,
    customer: Option<CustomerId>,
    language: &str,
    hash: &str,
) -> Result<(), DemoError> {
    diesel::sql_query(
        "INSERT INTO users (email, password_hash, role, customer_id, language, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT ((lower(email))) DO NOTHING",
    )
    .bind::<Text, _>(email)
    .bind::<Text, _>(hash)
    .bind::<Text, _>(role.as_str())
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, _>(customer.map(|c| c.0))
    .bind::<Text, _>(language)
    .execute(conn)?;
    Ok(())
}

fn upsert_customer(conn: &mut PgConnection, demo: &DemoCustomer) -> Result<CustomerId, DemoError> {
    diesel::sql_query(
        "INSERT INTO customers (email, name, street, postal_code, city, country, language, currency,
                                company_name, vat_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT ((lower(email))) DO NOTHING",
    )
    .bind::<Text, _>(demo.email)
    .bind::<Text, _>(demo.name)
    .bind::<Text, _>(demo.street)
    .bind::<Text, _>(demo.postal_code)
    .bind::<Text, _>(demo.city)
    .bind::<Text, _>(demo.country)
    .bind::<Text, _>(demo.language)
    .bind::<Text, _>(demo.currency)
    .bind::<diesel::sql_types::Nullable<Text>, _>(demo.company)
    .bind::<diesel::sql_types::Nullable<Text>, _>(demo.vat_id)
    .execute(conn)?;
    let id: i64 =
        customers::table.filter(customers::email.eq(demo.email)).select(customers::id).first(conn)?;
    Ok(CustomerId(id))
}

/// A demo customer who has paid twelve months in advance (cash, before the demo's bank
/// statements begin): cash debit, customer credit.
fn post_prepayment(conn: &mut PgConnection, demo: &DemoCustomer, id: CustomerId) -> Result<(), DemoError> {
    let currency = Currency::from_code(demo.currency).unwrap_or(Currency::EUR);
    let monthly = match currency {
        Currency::SEK | Currency::NOK => 1_200,
        Currency::DKK => 800,
        _ => 100,
    };
    let amount = Money::from_minor(monthly * 12, currency);
    let bank = SystemAccount::Cash.open(conn, currency)?;
    let credit = CustomerAccount::Credit.open(conn, id, currency)?;
    let occurred_at: DateTime<Utc> = DateTime::from_timestamp(1_793_491_200, 0).unwrap_or_default(); // 2026-11-01
    post_entry(
        conn,
        &NewEntry {
            idempotency_key: format!("demo:prepayment-cash:{}", demo.email),
            kind: crate::ledger::EntryKind::PaymentReceived.into(),
            memo: "Demo: twelve months paid in advance".to_owned(),
            occurred_at,
            reference: None,
            postings: vec![NewPosting::debit(bank.id, amount), NewPosting::credit(credit.id, amount)],
        },
    )?;
    Ok(())
}

/// Writes a camt.053 statement for the demo's open EUR invoices, as the bank would send it
/// after customers paid: one exactly, one short (and the rest later without a reference), one
/// too much, and one from a stranger. Finance imports it in the back office
/// (Bank statements) to see every outcome. Returns where it was written.
/// `iban` is the seller's EUR account: the import refuses statements for anybody else's.
pub fn bank_statement(
    conn: &mut PgConnection,
    dir: &std::path::Path,
    iban: &str,
    today: chrono::NaiveDate,
) -> Result<Option<std::path::PathBuf>, DemoError> {
    use crate::db::schema::invoices;
    use crate::payments::bank::statement::{Movement, StatementHeader, write_camt053};
    use rust_decimal::Decimal;

    let open: Vec<(String, String, Decimal, String)> = invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .filter(
            invoices::kind
                .eq(crate::invoicing::numbering::Series::Invoice.as_str())
                .and(invoices::currency.eq("EUR"))
                .and(invoices::amount_due.gt(Decimal::ZERO)),
        )
        .order(invoices::id)
        .select((invoices::number, invoices::payment_reference, invoices::amount_due, customers::name))
        .load(conn)?;
    if open.len() < 3 {
        return Ok(None);
    }
    let eur = |amount: Decimal| Money::new(amount, Currency::EUR);
    let mut movements = Vec::new();
    for (n, (number, reference, due, name)) in open.iter().take(3).enumerate() {
        let (amount, text) = match n {
            0 => (*due, None),
            1 => (*due - Decimal::new(50, 2), Some(format!("Rechnung {number}"))),
            _ => (*due + Decimal::new(1000, 2), None),
        };
        let mut m = Movement::transfer(eur(amount), today, &format!("DEMO-{number}"));
        m.debtor_name = Some(name.clone());
        match text {
            Some(text) => m.remittance = Some(text),
            None => m.creditor_reference = Some(reference.clone()),
        }
        movements.push(m);
    }
    // The short payer sends the rest without a reference: finance gets a suggestion.
    if let Some((number, _, _, name)) = open.get(1) {
        let mut rest = Movement::transfer(eur(Decimal::new(50, 2)), today, &format!("DEMO-REST-{number}"));
        rest.debtor_name = Some(name.clone());
        rest.remittance = Some("Rest".to_owned());
        movements.push(rest);
    }
    let mut stranger = Movement::transfer(eur(Decimal::new(2500, 2)), today, "DEMO-UNKNOWN");
    stranger.debtor_name = Some("Unbekannt GmbH".to_owned());
    stranger.remittance = Some("Vorauszahlung".to_owned());
    movements.push(stranger);

    let path = dir.join("demo-bank-statement.camt053.xml");
    let io = |e: std::io::Error| DemoError::Io(path.display().to_string(), e);
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    let header = StatementHeader { id: &format!("DEMO-{today}"), iban, created: today };
    write_camt053(&mut out, &header, movements).map_err(io)?;
    std::io::Write::flush(&mut out).map_err(io)?;
    Ok(Some(path))
}

/// Lea's own Swiss account (SIX's example IBAN): she pays from it, so support finds her by its
/// last digits.
pub const LEA_IBAN: &str = "CH9300762011623852957";

/// Lea (CH) pays her open invoice from her own account with the QR-bill's reference: a
/// statement of the seller's CHF account with that one transfer, imported at once. Returns
/// whether there was something to pay (a second start finds nothing open).
/// The ECB reference rates of the shipped sample, so finance can make the OSS return of the
/// demo's quarters (importing again adds nothing).
pub fn ecb_rates(conn: &mut PgConnection) -> Result<usize, DemoError> {
    let rates = crate::accounting::fx::parse(crate::accounting::fx::SAMPLE)
        .map_err(|e| DemoError::Rates(e.to_string()))?;
    crate::accounting::fx::import(conn, &rates).map_err(|e| DemoError::Rates(e.to_string()))
}

pub fn swiss_payment(
    conn: &mut PgConnection,
    settings: &crate::config::Settings,
    today: chrono::NaiveDate,
) -> Result<bool, DemoError> {
    use crate::db::schema::{invoice_balances, invoices};
    use crate::payments::bank::statement::{Movement, StatementHeader, write_camt053};
    use rust_decimal::Decimal;

    let accounts = settings.own_bank_accounts();
    let Some(account) = accounts.iter().find(|a| a.currency == Currency::CHF) else {
        return Ok(false);
    };
    let open: Option<(String, Decimal)> = invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .inner_join(invoice_balances::table.on(invoice_balances::invoice_id.eq(invoices::id)))
        .filter(
            customers::email.eq("lea.meier@ch.example").and(invoice_balances::open_amount.gt(Decimal::ZERO)),
        )
        .order(invoices::id)
        .select((invoices::number, invoice_balances::open_amount))
        .first(conn)
        .optional()?;
    let Some((number, amount)) = open else {
        return Ok(false);
    };
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let mut transfer =
        Movement::transfer(Money::new(amount, Currency::CHF), today, &format!("DEMO-CH-{number}"));
    transfer.debtor_name = Some("Lea Meier".to_owned());
    transfer.debtor_iban = Some(LEA_IBAN.to_owned());
    transfer.creditor_reference = crate::references::qr_reference(&digits);
    let mut xml = Vec::new();
    let header = StatementHeader { id: &format!("DEMO-CH-{number}"), iban: &account.iban, created: today };
    write_camt053(&mut xml, &header, vec![transfer])
        .map_err(|e| DemoError::Io("CHF statement".to_owned(), e))?;
    let returns = settings.sepa_returns();
    let request = crate::payments::bank::ImportRequest {
        file_name: "demo-chf.camt053.xml",
        actor: None,
        now: settings.clock.now(),
        returns: &returns,
        accounts: &accounts,
    };
    crate::payments::bank::import(conn, xml.as_slice(), &request, &|_| {})?;
    Ok(true)
}

/// The IBAN of the demo's stranger, who paid without a reference (the Dutch example IBAN).
pub const STRANGER_IBAN: &str = "NL91ABNA0417164300";

/// A transfer of 12.00 EUR from someone who is not a customer, with no reference: it lands in
/// the reconciliation queue, and finance marks it for refund, so the payouts page has an item
/// to approve and a pain.001 to write. `None` when the demo already has it.
pub fn refund_to_pay_back(
    conn: &mut PgConnection,
    settings: &crate::config::Settings,
    today: chrono::NaiveDate,
) -> Result<Option<i64>, DemoError> {
    use crate::db::schema::bank_transactions;
    use crate::payments::bank::statement::{Movement, StatementHeader, write_camt053};
    use rust_decimal::Decimal;

    const REFERENCE: &str = "DEMO-REFUND-1";
    let known: Option<i64> = bank_transactions::table
        .filter(bank_transactions::debtor_iban.eq(STRANGER_IBAN))
        .select(bank_transactions::id)
        .first(conn)
        .optional()?;
    if known.is_some() {
        return Ok(None);
    }
    let accounts = settings.own_bank_accounts();
    let Some(account) = accounts.iter().find(|a| a.currency == Currency::EUR) else {
        return Ok(None);
    };
    let mut transfer = Movement::transfer(Money::new(Decimal::new(1200, 2), Currency::EUR), today, REFERENCE);
    transfer.debtor_name = Some("Sanne de Vries".to_owned());
    transfer.debtor_iban = Some(STRANGER_IBAN.to_owned());
    let mut xml = Vec::new();
    let header = StatementHeader { id: REFERENCE, iban: &account.iban, created: today };
    write_camt053(&mut xml, &header, vec![transfer])
        .map_err(|e| DemoError::Io("refund statement".to_owned(), e))?;
    let returns = settings.sepa_returns();
    let request = crate::payments::bank::ImportRequest {
        file_name: "demo-refund.camt053.xml",
        actor: None,
        now: settings.clock.now(),
        returns: &returns,
        accounts: &accounts,
    };
    crate::payments::bank::import(conn, xml.as_slice(), &request, &|_| {})?;
    let id: i64 = bank_transactions::table
        .filter(bank_transactions::debtor_iban.eq(STRANGER_IBAN))
        .select(bank_transactions::id)
        .first(conn)?;
    let actor = crate::audit::Actor::system("demo");
    crate::payments::bank::queue::mark_for_refund(conn, id, &actor, settings.clock.now())?;
    Ok(Some(id))
}

/// The days to run the dunning on, each with the step it brings, and the payment's statement.
pub type DunningWalk = (Vec<(chrono::NaiveDate, &'static str)>, std::path::PathBuf);

/// The days `kontor dunning run --today` walks the non-paying demo customer's first open
/// invoice through the ladder, and the statement of his payment to `iban` (the account of his
/// invoice's currency), written to `dir`, that finance imports once he is suspended. `None`
/// before he has an invoice.
pub fn dunning_walk(
    conn: &mut PgConnection,
    dir: &std::path::Path,
    iban: &str,
) -> Result<Option<DunningWalk>, DemoError> {
    use crate::db::schema::invoices;
    use crate::payments::bank::statement::{Movement, StatementHeader, write_camt053};
    use rust_decimal::Decimal;

    let open: Option<(String, String, Decimal, chrono::NaiveDate, String)> = invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .filter(customers::email.eq(DUNNING_CUSTOMER).and(invoices::kind.eq("invoice")))
        .filter(invoices::amount_due.gt(Decimal::ZERO))
        .order(invoices::id)
        .select((
            invoices::number,
            invoices::payment_reference,
            invoices::amount_due,
            invoices::due_date,
            invoices::currency,
        ))
        .first(conn)
        .optional()?;
    let Some((number, reference, due, due_date, currency)) = open else { return Ok(None) };
    let currency = Currency::from_code(currency.trim()).unwrap_or(Currency::SEK);
    let day = |n: u64| due_date + chrono::Days::new(n);
    let walk = vec![
        (day(3), "friendly reminder"),
        (day(14), "second reminder"),
        (day(28), "final notice naming the suspension day"),
        (day(35), "suspension"),
    ];
    let mut payment = Movement::transfer(Money::new(due, currency), day(36), &format!("DEMO-PAID-{number}"));
    payment.debtor_name = Some("Erik Lindqvist".to_owned());
    payment.creditor_reference = Some(reference);
    let path = dir.join("demo-dunning-payment.camt053.xml");
    let io = |e: std::io::Error| DemoError::Io(path.display().to_string(), e);
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    let header = StatementHeader { id: &format!("DEMO-DUNNING-{number}"), iban, created: day(36) };
    write_camt053(&mut out, &header, vec![payment]).map_err(io)?;
    std::io::Write::flush(&mut out).map_err(io)?;
    Ok(Some((walk, path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_an_account_of_its_own_in_every_currency() {
        let defaults = crate::config::Settings::from_lookup(|_| None).expect("defaults");
        assert!(!defaults.seller.account_warnings().is_empty(), "the defaults have none");
        let demo = with_example_accounts(&defaults);
        assert_eq!(demo.seller.account_warnings(), Vec::<String>::new());
        let country = |currency: &str| match currency {
            "CHF" => "CH",
            "SEK" => "SE",
            "NOK" => "NO",
            "DKK" => "DK",
            _ => "GB",
        };
        for (currency, iban, bic) in EXAMPLE_ACCOUNTS {
            let account = demo.seller.account_for(currency);
            assert_eq!(account.iban, iban);
            let parsed = crate::iban::Iban::parse(iban).expect("a valid IBAN");
            assert!(parsed.as_str().starts_with(country(currency)), "{currency}: {iban}");
            if !bic.is_empty() {
                assert!(crate::iban::Bic::parse(bic).is_some(), "{bic}");
                assert_eq!(bic.get(4..6), Some(country(currency)), "{bic}");
            }
        }
        // The Swiss account is the QR-bill's: one CHF account.
        assert_eq!(demo.seller.chf_iban.as_deref(), Some(demo.seller.account_for("CHF").iban.as_str()));
        // Configured accounts are kept.
        let configured = crate::config::Settings::from_lookup(|name| {
            (name == "KONTOR_SELLER_IBAN_SEK").then(|| "SE3550000000054910000003".to_owned())
        })
        .expect("settings");
        assert_eq!(
            with_example_accounts(&configured).seller.account_for("SEK").iban,
            "SE3550000000054910000003"
        );
    }
}
