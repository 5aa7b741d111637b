//! One search box for support: the query's shape says what it could be (a customer number, an
//! invoice or credit note number, an RF or Swiss QR payment reference, an IBAN's last four
//! characters, an email address, a PayPal payer id, else a name), and each of those is looked
//! up by its own index (see the support console migration): names through `search_fold`
//! (unaccented, lower case) with trigram indexes, so "muller" finds "Müller" and "eier" finds
//! "Meier". Only staff reach it; customers have no search at all.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use super::SupportError;

/// Hits shown for one query; a caller is found by something more precise long before this.
pub const MAX_HITS: i64 = 50;

/// What a query was recognised as, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    CustomerNumber,
    InvoiceNumber,
    PaymentReference,
    IbanEnding,
    Email,
    PaypalPayer,
    Name,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::CustomerNumber,
        Kind::InvoiceNumber,
        Kind::PaymentReference,
        Kind::IbanEnding,
        Kind::Email,
        Kind::PaypalPayer,
        Kind::Name,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CustomerNumber => "customer_number",
            Kind::InvoiceNumber => "invoice_number",
            Kind::PaymentReference => "payment_reference",
            Kind::IbanEnding => "iban_ending",
            Kind::Email => "email",
            Kind::PaypalPayer => "paypal_payer",
            Kind::Name => "name",
        }
    }

    /// The Fluent id of the label shown beside a hit.
    pub fn message_id(self) -> &'static str {
        match self {
            Kind::CustomerNumber => "support-kind-customer-number",
            Kind::InvoiceNumber => "support-kind-invoice-number",
            Kind::PaymentReference => "support-kind-payment-reference",
            Kind::IbanEnding => "support-kind-iban-ending",
            Kind::Email => "support-kind-email",
            Kind::PaypalPayer => "support-kind-paypal-payer",
            Kind::Name => "support-kind-name",
        }
    }
}

/// One way to read the query, with the value to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    CustomerNumber(i64),
    InvoiceNumber(String),
    /// An RF reference as invoices store it (no spaces, upper case).
    RfReference(String),
    /// The invoice number's digits a Swiss QR reference, a Swedish OCR number, a Norwegian KID
    /// or a Danish +71 payment id carries.
    ReferenceDigits(String),
    IbanEnding(String),
    /// A whole address or its beginning, lower case.
    Email(String),
    PaypalPayer(String),
    /// Words, each folded (unaccented, lower case), each to be found in the name.
    Name(Vec<String>),
}

impl Lookup {
    pub fn kind(&self) -> Kind {
        match self {
            Lookup::CustomerNumber(_) => Kind::CustomerNumber,
            Lookup::InvoiceNumber(_) => Kind::InvoiceNumber,
            Lookup::RfReference(_) | Lookup::ReferenceDigits(_) => Kind::PaymentReference,
            Lookup::IbanEnding(_) => Kind::IbanEnding,
            Lookup::Email(_) => Kind::Email,
            Lookup::PaypalPayer(_) => Kind::PaypalPayer,
            Lookup::Name(_) => Kind::Name,
        }
    }
}

/// Longest query read; anything longer is no identifier and no name.
const MAX_QUERY: usize = 200;
/// Words of a name query; a trigram index needs three characters to narrow anything down.
const MAX_WORDS: usize = 5;
const MIN_NAME_CHARS: usize = 3;
/// Rows a name query ranks at most (see `name_query`).
const NAME_CANDIDATES: i64 = 1_000;

/// Folds as `search_fold` does in PostgreSQL, for the words of a name query; the database
/// folds them once more with `unaccent`, so letters this does not know are still matched.
fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// Every way the query could be meant, most precise first. Empty when it is too short or too
/// odd to be anything.
pub fn recognise(query: &str) -> Vec<Lookup> {
    let query = query.trim();
    if query.is_empty() || query.chars().count() > MAX_QUERY || query.chars().any(char::is_control) {
        return Vec::new();
    }
    let compact: String = query.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let has_digit = compact.chars().any(|c| c.is_ascii_digit());
    let has_letter = compact.chars().any(char::is_alphabetic);
    let alphanumeric = compact.chars().all(|c| c.is_ascii_alphanumeric());
    let mut found = Vec::new();
    if query.contains('@') {
        found.push(Lookup::Email(query.to_lowercase()));
        return found;
    }
    if let Some(id) = super::parse_customer_number(&compact) {
        found.push(Lookup::CustomerNumber(id));
    }
    if has_digit && compact.len() <= 40 && compact.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        found.push(Lookup::InvoiceNumber(compact.clone()));
    }
    if crate::references::is_valid_rf(&compact) {
        found.push(Lookup::RfReference(compact.clone()));
    }
    if crate::references::is_valid_qr_reference(&compact) {
        let digits = compact.get(..26).unwrap_or_default().trim_start_matches('0');
        if !digits.is_empty() {
            found.push(Lookup::ReferenceDigits(digits.to_owned()));
        }
    }
    let digits_only: String = compact.chars().filter(|c| *c != '+' && *c != '<').collect();
    for payload in crate::references::domestic::payloads(&digits_only) {
        // Invoice numbers carry ten digits; anything else a check digit let through is noise.
        if payload.len() == 10 && !found.contains(&Lookup::ReferenceDigits(payload.clone())) {
            found.push(Lookup::ReferenceDigits(payload));
        }
    }
    // "…1234", "*1234", "...1234" or just the four characters a caller reads out.
    let ending = compact.trim_start_matches(['…', '*', '.']);
    if ending.len() == 4
        && ending.chars().all(|c| c.is_ascii_alphanumeric())
        && ending.chars().any(|c| c.is_ascii_digit())
    {
        found.push(Lookup::IbanEnding(ending.to_owned()));
    }
    if alphanumeric
        && has_digit
        && has_letter
        && (10..=20).contains(&compact.len())
        && !compact.starts_with("RF")
    {
        found.push(Lookup::PaypalPayer(compact.clone()));
    }
    if has_letter {
        let words: Vec<String> = query
            .split(|c: char| c.is_whitespace() || c == ',')
            .map(fold)
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .collect();
        if words.iter().map(|w| w.chars().count()).sum::<usize>() >= MIN_NAME_CHARS {
            found.push(Lookup::Name(words));
        }
    }
    found
}

/// A customer found, with what matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    pub customer_id: i64,
    pub number: String,
    pub name: String,
    pub company: Option<String>,
    pub email: String,
    pub country: String,
    pub closed: bool,
    pub matched: Kind,
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct CustomerRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    company_name: Option<String>,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = Bool)]
    closed: bool,
}

/// `text` as a LIKE pattern that matches itself only.
fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The customers one lookup finds, at most `limit`, best first.
pub fn find(conn: &mut PgConnection, lookup: &Lookup, limit: i64) -> Result<Vec<i64>, SupportError> {
    let ids: Vec<Found> = match lookup {
        Lookup::CustomerNumber(id) => diesel::sql_query("SELECT id FROM customers WHERE id = $1")
            .bind::<BigInt, _>(id)
            .load(conn)?,
        Lookup::InvoiceNumber(number) => {
            diesel::sql_query("SELECT customer_id AS id FROM invoices WHERE number = $1 LIMIT $2")
                .bind::<Text, _>(number)
                .bind::<BigInt, _>(limit)
                .load(conn)?
        }
        Lookup::RfReference(reference) => diesel::sql_query(
            "SELECT DISTINCT customer_id AS id FROM invoices WHERE payment_reference = $1 LIMIT $2",
        )
        .bind::<Text, _>(reference)
        .bind::<BigInt, _>(limit)
        .load(conn)?,
        Lookup::ReferenceDigits(digits) => diesel::sql_query(
            "SELECT DISTINCT customer_id AS id FROM invoices WHERE number_digits(number) = $1 LIMIT $2",
        )
        .bind::<Text, _>(digits)
        .bind::<BigInt, _>(limit)
        .load(conn)?,
        // The account of a mandate, or one a transfer assigned to the customer came from.
        Lookup::IbanEnding(ending) => diesel::sql_query(
            "SELECT id FROM (SELECT customer_id AS id FROM sepa_mandates WHERE right(iban, 4) = $1
                             UNION SELECT customer_id FROM bank_transactions
                              WHERE right(debtor_iban, 4) = $1 AND customer_id IS NOT NULL) found
              ORDER BY id DESC LIMIT $2",
        )
        .bind::<Text, _>(ending)
        .bind::<BigInt, _>(limit)
        .load(conn)?,
        Lookup::Email(address) => diesel::sql_query(
            "SELECT id FROM customers WHERE lower(email) LIKE $1 ORDER BY lower(email) = $2 DESC, id LIMIT $3",
        )
        .bind::<Text, _>(format!("{}%", like_literal(address)))
        .bind::<Text, _>(address)
        .bind::<BigInt, _>(limit)
        .load(conn)?,
        Lookup::PaypalPayer(payer) => diesel::sql_query(
            "SELECT customer_id AS id FROM paypal_orders WHERE payer_id = $1
              GROUP BY customer_id ORDER BY max(id) DESC LIMIT $2",
        )
        .bind::<Text, _>(payer)
        .bind::<BigInt, _>(limit)
        .load(conn)?,
        Lookup::Name(words) => name_query(conn, words, limit)?,
    };
    Ok(ids.into_iter().map(|f| f.id).collect())
}

/// Every word somewhere in the name or the company's name (`customers.search_name`, folded
/// when written), in any order; the closest names first. Each word is its own LIKE so the
/// trigram index serves every one of them.
fn name_query(conn: &mut PgConnection, words: &[String], limit: i64) -> Result<Vec<Found>, SupportError> {
    let each = (0..words.len())
        .map(|i| format!("search_name LIKE search_fold(${})", i + 2))
        .collect::<Vec<_>>()
        .join(" AND ");
    // A common surname alone matches thousands: the closest are ranked among the first
    // NAME_CANDIDATES found, so the time stays bounded; typing more narrows it down.
    let sql = format!(
        "SELECT id FROM (SELECT id, search_name FROM customers WHERE {each} LIMIT {NAME_CANDIDATES}) candidates
          ORDER BY similarity(search_name, search_fold($1)) DESC, id LIMIT ${}",
        words.len() + 2
    );
    let mut query = diesel::sql_query(sql).into_boxed().bind::<Text, _>(words.join(" "));
    for word in words {
        query = query.bind::<Text, _>(format!("%{}%", like_literal(word)));
    }
    Ok(query.bind::<BigInt, _>(limit).load(conn)?)
}

/// Everything the query finds, most precise kind first, each customer once.
pub fn search(conn: &mut PgConnection, query: &str) -> Result<Vec<Hit>, SupportError> {
    let mut order: Vec<(i64, Kind)> = Vec::new();
    for lookup in recognise(query) {
        let room = MAX_HITS - order.len() as i64;
        if room <= 0 {
            break;
        }
        for id in find(conn, &lookup, room)? {
            if !order.iter().any(|(seen, _)| *seen == id) {
                order.push((id, lookup.kind()));
            }
        }
    }
    let ids: Vec<i64> = order.iter().map(|(id, _)| *id).collect();
    let rows: Vec<CustomerRow> = diesel::sql_query(
        "SELECT id, name, company_name, email, country::text AS country, closed_at IS NOT NULL AS closed
           FROM customers WHERE id = ANY ($1)",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(&ids)
    .load(conn)?;
    Ok(order
        .into_iter()
        .filter_map(|(id, matched)| {
            let row = rows.iter().find(|r| r.id == id)?;
            Some(Hit {
                customer_id: id,
                number: super::customer_number(id),
                name: row.name.clone(),
                company: row.company_name.clone(),
                email: row.email.clone(),
                country: row.country.clone(),
                closed: row.closed,
                matched,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(query: &str) -> Vec<Kind> {
        recognise(query).iter().map(Lookup::kind).collect()
    }

    #[test]
    fn the_shape_of_a_query_says_what_it_can_be() {
        assert_eq!(
            recognise("K000042"),
            vec![
                Lookup::CustomerNumber(42),
                Lookup::InvoiceNumber("K000042".to_owned()),
                Lookup::Name(vec!["k000042".to_owned()])
            ]
        );
        assert_eq!(kinds("2026-000001"), vec![Kind::InvoiceNumber]);
        assert_eq!(
            recognise("lea.meier@example.org"),
            vec![Lookup::Email("lea.meier@example.org".to_owned())]
        );
        assert_eq!(recognise("Müller"), vec![Lookup::Name(vec!["müller".to_owned()])]);
        assert_eq!(
            recognise("  lea   MEIER "),
            vec![Lookup::Name(vec!["lea".to_owned(), "meier".to_owned()])]
        );
        assert!(kinds("…3000").contains(&Kind::IbanEnding));
        assert!(kinds("3000").contains(&Kind::IbanEnding));
        assert!(kinds("3000").contains(&Kind::CustomerNumber));
        assert!(kinds("QYR5Z8XDVJNXQ").contains(&Kind::PaypalPayer));
        assert!(recognise("").is_empty());
        assert!(recognise("ab").is_empty());
        assert!(recognise("a\u{0}b c").is_empty());
    }

    #[test]
    fn payment_references_are_recognised_by_their_check_digits() {
        let rf = crate::references::rf_reference("2026-000001");
        assert!(recognise(&rf).contains(&Lookup::RfReference(rf.clone())));
        let spaced: String = rf
            .chars()
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(recognise(&spaced).contains(&Lookup::RfReference(rf)));
        let qr = crate::references::qr_reference("2026000001").unwrap();
        assert!(recognise(&qr).contains(&Lookup::ReferenceDigits("2026000001".to_owned())));
        // Nordic domestic references of invoice 2026-000123.
        for domestic in ["202600012324", "20260001230", "000020260001233"] {
            assert!(
                recognise(domestic).contains(&Lookup::ReferenceDigits("2026000123".to_owned())),
                "{domestic}"
            );
        }
        // A wrong check digit is no reference.
        assert!(!kinds("RF00202600000 1").contains(&Kind::PaymentReference));
    }

    #[test]
    fn like_patterns_match_only_what_was_typed() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
