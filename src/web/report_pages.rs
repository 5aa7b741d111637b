//! The reports' pages for finance: each report a table of its figures with a server-side SVG
//! chart above it and a CSV download, narrowed by period, country and currency in the query
//! string (so a report is a link one can send). The figures come from `reports`; this module
//! only words and formats them for the reader.

use actix_web::{HttpResponse, web};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::WebError;
use super::access::Finance;
use super::env::Env;
use super::render::page;
use crate::csv_export::{Cell, CsvWriter};
use crate::i18n::format::{date, money_in, number};
use crate::i18n::{Lang, t, t_args};
use crate::reports::ar_ageing::{self, BUCKETS, Bucket};
use crate::reports::chart::{self, Chart, Series};
use crate::reports::{Filter, ReportError, compensation, mrr, payment_behaviour, revenue, signups};

/// Every report's path segment, in menu order.
pub const REPORTS: [&str; 8] = [
    "signups",
    "trial-conversion",
    "revenue",
    "deferred-revenue",
    "mrr",
    "ar-ageing",
    "payment-behaviour",
    "compensation",
];

/// Drill-down lists stop here; the CSV of the invoice list has them all.
const DRILL_DOWN_LIMIT: i64 = 500;

#[derive(Deserialize, Default)]
pub struct Query {
    from: Option<String>,
    until: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    days: Option<String>,
    bucket: Option<String>,
}

/// One cell: as written to the CSV, as shown, and where it leads.
#[derive(Serialize, Clone)]
struct Shown {
    raw: String,
    text: String,
    link: Option<String>,
}

fn plain(raw: impl ToString) -> Shown {
    let raw = raw.to_string();
    Shown { text: raw.clone(), raw, link: None }
}

fn shown(raw: impl ToString, text: String) -> Shown {
    Shown { raw: raw.to_string(), text, link: None }
}

/// A report as the page and the CSV show it.
struct View {
    columns: Vec<(&'static str, String)>,
    rows: Vec<Vec<Shown>>,
    /// Bar labels, series, the y axis's words, and whether values are amounts.
    labels: Vec<String>,
    series: Vec<Series>,
    y_label: String,
    x_label: String,
}

impl View {
    fn new(lang: &Lang, columns: &[(&'static str, &str)]) -> View {
        View {
            columns: columns.iter().map(|(csv, key)| (*csv, t(lang, key))).collect(),
            rows: Vec::new(),
            labels: Vec::new(),
            series: Vec::new(),
            y_label: String::new(),
            x_label: t(lang, "report-month"),
        }
    }

    /// Adds `value` to the bar of `label` in series `name` (both made as needed).
    fn add(&mut self, label: &str, name: &str, value: f64) {
        let at = match self.labels.iter().position(|l| l == label) {
            Some(at) => at,
            None => {
                self.labels.push(label.to_owned());
                self.series.iter_mut().for_each(|s| s.values.push(0.0));
                self.labels.len() - 1
            }
        };
        if !self.series.iter().any(|s| s.name == name) {
            self.series.push(Series { name: name.to_owned(), values: vec![0.0; self.labels.len()] });
        }
        if let Some(bar) = self.series.iter_mut().find(|s| s.name == name).and_then(|s| s.values.get_mut(at))
        {
            *bar += value;
        }
    }
}

fn float(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

fn parse_day(
    lang: &Lang,
    text: Option<&str>,
    default: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, WebError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|e| WebError::bad_request(lang, "report-error-date", e)),
    }
}

fn filter_of(env: &Env, query: &Query) -> Result<Filter, WebError> {
    let standard = Filter::last_twelve_months(env.today());
    let from = parse_day(&env.lang, query.from.as_deref(), standard.from)?;
    let until = parse_day(&env.lang, query.until.as_deref(), standard.until)?;
    let code = |text: &Option<String>| -> Result<Option<String>, WebError> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(code) if code.len() <= 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
                Ok(Some(code.to_owned()))
            }
            Some(other) => Err(WebError::bad_request(&env.lang, "report-error-code", other)),
        }
    };
    Filter::new(from, until, code(&query.country)?, code(&query.currency)?)
        .map_err(|e| WebError::bad_request(&env.lang, "report-error-period", e))
}

fn days_of(env: &Env, query: &Query) -> Result<i32, WebError> {
    match query.days.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(4),
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .ok_or_else(|| WebError::bad_request(&env.lang, "report-error-days", text)),
    }
}

fn report_of(env: &Env, name: &str) -> Result<&'static str, WebError> {
    REPORTS.into_iter().find(|r| *r == name).ok_or_else(|| WebError::not_found(&env.lang))
}

/// What a report needs besides the filter.
#[derive(Clone)]
struct Inputs {
    today: chrono::NaiveDate,
    time_zone: String,
    days: i32,
    lang: Lang,
}

fn build(
    conn: &mut diesel::PgConnection,
    report: &str,
    filter: &Filter,
    inputs: &Inputs,
) -> Result<View, ReportError> {
    let lang = &inputs.lang;
    let count = |n: i64| shown(n, number(lang, Decimal::from(n), 0));
    let amount = |a: Decimal, currency: &str| shown(a.round_dp(2), money_in(lang, a, currency));
    let percent = |p: Decimal| shown(p, format!("{}\u{a0}%", number(lang, p, 1)));
    let view = match report {
        "signups" => {
            let mut view = View::new(
                lang,
                &[
                    ("month", "report-month"),
                    ("country", "report-country"),
                    ("signups", "report-signups"),
                    ("cancellations", "report-cancellations"),
                    ("closings", "report-closings"),
                ],
            );
            for row in signups::rows(conn, filter, &inputs.time_zone)? {
                view.add(&row.month, &row.country, row.signups as f64);
                view.rows.push(vec![
                    plain(&row.month),
                    plain(&row.country),
                    count(row.signups),
                    count(row.cancellations),
                    count(row.closings),
                ]);
            }
            view.y_label = t(lang, "report-signups");
            view
        }
        "trial-conversion" => {
            let mut view = View::new(
                lang,
                &[
                    ("month", "report-month"),
                    ("trials_ended", "report-trials-ended"),
                    ("converted", "report-converted"),
                    ("rate_percent", "report-rate"),
                ],
            );
            for row in signups::conversion(conn, filter, inputs.today)? {
                view.add(&row.month, &t(lang, "report-rate"), float(row.rate()));
                view.rows.push(vec![
                    plain(&row.month),
                    count(row.trials_ended),
                    count(row.converted),
                    percent(row.rate()),
                ]);
            }
            view.y_label = t(lang, "report-rate");
            view
        }
        "revenue" => {
            let mut view = View::new(
                lang,
                &[
                    ("month", "report-month"),
                    ("product", "report-product"),
                    ("country", "report-country"),
                    ("currency", "report-currency"),
                    ("net", "report-net"),
                ],
            );
            let rows = revenue::rows(conn, filter)?;
            let charted = chart_currency(filter, rows.iter().map(|r| r.currency.as_str()));
            for row in rows {
                if Some(&row.currency) == charted.as_ref() {
                    view.add(&row.month, &row.product, float(row.net));
                }
                view.rows.push(vec![
                    plain(&row.month),
                    plain(&row.product),
                    plain(&row.country),
                    plain(&row.currency),
                    amount(row.net, &row.currency),
                ]);
            }
            view.y_label = money_axis(lang, "report-net", charted);
            view
        }
        "deferred-revenue" => {
            let mut view = View::new(
                lang,
                &[
                    ("month", "report-month"),
                    ("currency", "report-currency"),
                    ("billed", "report-billed"),
                    ("recognised", "report-recognised"),
                    ("deferred", "report-deferred"),
                ],
            );
            let rows = revenue::deferred(conn, filter)?;
            let charted = chart_currency(filter, rows.iter().map(|r| r.currency.as_str()));
            for row in rows {
                if Some(&row.currency) == charted.as_ref() {
                    view.add(&row.month, &t(lang, "report-recognised"), float(row.recognised));
                    view.add(&row.month, &t(lang, "report-deferred"), float(row.deferred));
                }
                view.rows.push(vec![
                    plain(&row.month),
                    plain(&row.currency),
                    amount(row.billed, &row.currency),
                    amount(row.recognised, &row.currency),
                    amount(row.deferred, &row.currency),
                ]);
            }
            view.y_label = money_axis(lang, "report-recognised", charted);
            view
        }
        "mrr" => {
            let mut view = View::new(
                lang,
                &[
                    ("month", "report-month"),
                    ("currency", "report-currency"),
                    ("mrr", "report-mrr"),
                    ("new", "report-mrr-new"),
                    ("expansion", "report-mrr-expansion"),
                    ("churned", "report-mrr-churned"),
                    ("reactivated", "report-mrr-reactivated"),
                ],
            );
            let rows = mrr::rows(conn, filter, inputs.today)?;
            let charted = chart_currency(filter, rows.iter().map(|r| r.currency.as_str()));
            for row in rows {
                if Some(&row.currency) == charted.as_ref() {
                    view.add(&row.month, &t(lang, "report-mrr"), float(row.mrr));
                    view.add(&row.month, &t(lang, "report-mrr-new"), float(row.new));
                    view.add(&row.month, &t(lang, "report-mrr-churned"), float(row.churned));
                }
                view.rows.push(vec![
                    plain(&row.month),
                    plain(&row.currency),
                    amount(row.mrr, &row.currency),
                    amount(row.new, &row.currency),
                    amount(row.expansion, &row.currency),
                    amount(row.churned, &row.currency),
                    amount(row.reactivated, &row.currency),
                ]);
            }
            view.y_label = money_axis(lang, "report-mrr", charted);
            view
        }
        "ar-ageing" => {
            let mut view = View::new(
                lang,
                &[
                    ("currency", "report-currency"),
                    ("bucket", "report-bucket"),
                    ("invoices", "report-invoices"),
                    ("open", "report-open"),
                ],
            );
            let rows = ar_ageing::rows(conn, filter, inputs.today)?;
            let charted = chart_currency(filter, rows.iter().map(|r| r.currency.as_str()));
            if let Some(currency) = &charted {
                for bucket in BUCKETS {
                    view.add(&t(lang, &format!("report-bucket-{}", bucket.code())), currency, 0.0);
                }
            }
            for row in rows {
                let bucket = row.bucket();
                let name = t(lang, &format!("report-bucket-{}", bucket.code()));
                if Some(&row.currency) == charted.as_ref() {
                    view.add(&name, &row.currency, float(row.open));
                }
                let link = drill_down_link(filter, &row.currency, bucket);
                let mut invoices = count(row.invoices);
                invoices.link = Some(link);
                view.rows.push(vec![
                    plain(&row.currency),
                    shown(bucket.code(), name),
                    invoices,
                    amount(row.open, &row.currency),
                ]);
            }
            view.x_label = t(lang, "report-bucket");
            view.y_label = money_axis(lang, "report-open", charted);
            view
        }
        "payment-behaviour" => {
            let within = |key: &str| t_args(lang, key, &[("days", inputs.days.into())]);
            let mut view = View::new(
                lang,
                &[
                    ("country", "report-country"),
                    ("method", "report-method"),
                    ("invoices", "report-invoices"),
                    ("paid_within_days_of_due", "report-paid-within"),
                    ("share_percent", "report-share"),
                    ("first_invoices", "report-first-invoices"),
                    ("first_paid_within_days_of_free_month", "report-first-paid-within"),
                    ("first_share_percent", "report-first-share"),
                ],
            );
            // The headings name N.
            for (csv, heading) in view.columns.iter_mut() {
                match *csv {
                    "paid_within_days_of_due" => *heading = within("report-paid-within"),
                    "first_paid_within_days_of_free_month" => *heading = within("report-first-paid-within"),
                    _ => {}
                }
            }
            for row in payment_behaviour::rows(conn, filter, inputs.days, inputs.today, &inputs.time_zone)? {
                let (country, method) = if row.is_total() {
                    (t(lang, "report-all"), t(lang, "report-all"))
                } else {
                    (row.country.clone(), t(lang, &format!("report-method-{}", row.method.replace('_', "-"))))
                };
                if !row.is_total() {
                    view.add(&row.country, &method, float(row.share()));
                }
                view.rows.push(vec![
                    shown(&row.country, country),
                    shown(&row.method, method),
                    count(row.invoices),
                    count(row.paid_within),
                    percent(row.share()),
                    count(row.first_invoices),
                    count(row.first_paid_within),
                    percent(row.first_share()),
                ]);
            }
            view.x_label = t(lang, "report-country");
            view.y_label = within("report-share-within");
            view
        }
        _ => {
            let mut view = View::new(
                lang,
                &[
                    ("incident", "report-incident"),
                    ("title", "report-incident-title"),
                    ("currency", "report-currency"),
                    ("grants", "report-grants"),
                    ("credited", "report-credited"),
                    ("donated", "compensation-report-donated"),
                ],
            );
            let rows = compensation::rows(conn, filter, &inputs.time_zone)?;
            let charted = chart_currency(filter, rows.iter().map(|r| r.currency.as_str()));
            for row in rows {
                let label = format!("#{}", row.incident);
                if Some(&row.currency) == charted.as_ref() {
                    view.add(&label, &row.currency, float(row.credited));
                }
                let mut incident = plain(row.incident);
                incident.link = Some(format!("/backoffice/incidents/{}", row.incident));
                view.rows.push(vec![
                    incident,
                    plain(row.title_in(lang.code())),
                    plain(&row.currency),
                    count(row.grants),
                    amount(row.credited, &row.currency),
                    amount(row.donated, &row.currency),
                ]);
            }
            view.x_label = t(lang, "report-incident");
            view.y_label = money_axis(lang, "report-credited", charted);
            view
        }
    };
    Ok(view)
}

/// The one currency a money chart draws: the filter's, else the first with figures.
fn chart_currency<'a>(filter: &Filter, mut currencies: impl Iterator<Item = &'a str>) -> Option<String> {
    filter.currency.clone().or_else(|| currencies.next().map(str::to_owned))
}

fn money_axis(lang: &Lang, key: &str, currency: Option<String>) -> String {
    match currency {
        Some(currency) => format!("{} ({currency})", t(lang, key)),
        None => t(lang, key),
    }
}

fn query_string(filter: &Filter) -> String {
    let mut query = format!("from={}&until={}", filter.from, filter.until);
    if let Some(country) = &filter.country {
        query.push_str(&format!("&country={country}"));
    }
    if let Some(currency) = &filter.currency {
        query.push_str(&format!("&currency={currency}"));
    }
    query
}

fn drill_down_link(filter: &Filter, currency: &str, bucket: Bucket) -> String {
    let narrowed = Filter { currency: Some(currency.to_owned()), ..filter.clone() };
    format!("/backoffice/reports/ar-ageing/invoices?{}&bucket={}", query_string(&narrowed), bucket.code())
}

fn inputs(env: &Env, query: &Query) -> Result<Inputs, WebError> {
    Ok(Inputs {
        today: env.today(),
        time_zone: env.settings().time_zone.name().to_owned(),
        days: days_of(env, query)?,
        lang: env.lang.clone(),
    })
}

/// The list of reports.
pub async fn index(env: Env, _: Finance) -> Result<HttpResponse, WebError> {
    let links: Vec<serde_json::Value> = REPORTS
        .iter()
        .map(|r| {
            serde_json::json!({"href": format!("/backoffice/reports/{r}"), "title": t(&env.lang, &format!("report-{r}-title"))})
        })
        .collect();
    let mut context = Context::new();
    context.insert("reports", &links);
    page("pages/reports.html", &env, context)
}

/// One report: filter form, chart, table, CSV link.
pub async fn show(
    env: Env,
    _: Finance,
    name: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let report = report_of(&env, &name)?;
    let filter = filter_of(&env, &query)?;
    let inputs = inputs(&env, &query)?;
    let (run_filter, run_inputs) = (filter.clone(), inputs.clone());
    let view = env.run(move |conn| build(conn, report, &run_filter, &run_inputs)).await?;
    let lang = &env.lang;
    let title = t(lang, &format!("report-{report}-title"));
    let format =
        |v: f64, decimals: u32| number(lang, Decimal::from_f64_retain(v).unwrap_or_default(), decimals);
    let svg = chart::svg(&Chart {
        title: &title,
        x_label: &view.x_label,
        y_label: &view.y_label,
        labels: &view.labels,
        series: &view.series,
        format: &format,
    });
    let mut context = Context::new();
    context.insert("report", report);
    context.insert("title", &title);
    context.insert("explanation", &t(lang, &format!("report-{report}-explanation")));
    context.insert("svg", &svg);
    context.insert("headings", &view.columns.iter().map(|(_, h)| h).collect::<Vec<_>>());
    context.insert("rows", &view.rows);
    context.insert("from", &filter.from.to_string());
    context.insert("until", &filter.until.to_string());
    context.insert("country", &filter.country.clone().unwrap_or_default());
    context.insert("currency", &filter.currency.clone().unwrap_or_default());
    context.insert("days", &inputs.days);
    context.insert("with_days", &(report == "payment-behaviour"));
    let mut csv = format!("/backoffice/reports/{report}/csv?{}", query_string(&filter));
    if report == "payment-behaviour" {
        csv.push_str(&format!("&days={}", inputs.days));
    }
    context.insert("csv", &csv);
    context.insert(
        "period",
        &t_args(
            lang,
            "report-period",
            &[("from", date(lang, filter.from).into()), ("until", date(lang, filter.until).into())],
        ),
    );
    page("pages/report.html", &env, context)
}

/// One report as CSV: the raw figures (amounts with a point, no grouping), one row per line.
pub async fn csv(
    env: Env,
    _: Finance,
    name: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let report = report_of(&env, &name)?;
    let filter = filter_of(&env, &query)?;
    let inputs = inputs(&env, &query)?;
    let run_filter = filter.clone();
    let view = env.run(move |conn| build(conn, report, &run_filter, &inputs)).await?;
    let header: Vec<&str> = view.columns.iter().map(|(csv, _)| *csv).collect();
    let mut out = Vec::new();
    let written = (|| -> Result<(), crate::csv_export::CsvError> {
        let mut writer = CsvWriter::new(&mut out, &header)?;
        for row in &view.rows {
            let cells: Vec<Cell<'_>> = row.iter().map(|c| Cell::Text(&c.raw)).collect();
            writer.row(&cells)?;
        }
        writer.finish()
    })();
    written.map_err(|e| WebError::internal(&env.lang, e))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"kontor-{report}-{}-{}.csv\"", filter.from, filter.until),
        ))
        .body(out))
}

/// The open invoices behind one figure of the AR ageing.
pub async fn ageing_invoices(
    env: Env,
    _: Finance,
    query: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let filter = filter_of(&env, &query)?;
    let bucket =
        query.bucket.as_deref().and_then(Bucket::parse).ok_or_else(|| WebError::not_found(&env.lang))?;
    let currency = filter.currency.clone().ok_or_else(|| WebError::not_found(&env.lang))?;
    let today = env.today();
    let (run_filter, run_currency) = (filter.clone(), currency.clone());
    let invoices = env
        .run(move |conn| {
            ar_ageing::invoices(conn, &run_filter, today, &run_currency, bucket, DRILL_DOWN_LIMIT)
        })
        .await?;
    let lang = &env.lang;
    let rows: Vec<serde_json::Value> = invoices
        .iter()
        .map(|i| {
            serde_json::json!({
                "number": i.number,
                "customer": i.customer_number,
                "country": i.country,
                "due": date(lang, i.due_date),
                "days": number(lang, Decimal::from(i.days_overdue), 0),
                "open": money_in(lang, i.open, &currency),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert(
        "title",
        &t_args(
            lang,
            "report-ageing-invoices-title",
            &[
                ("bucket", t(lang, &format!("report-bucket-{}", bucket.code())).into()),
                ("currency", currency.clone().into()),
            ],
        ),
    );
    context.insert("rows", &rows);
    context.insert("more", &(invoices.len() as i64 >= DRILL_DOWN_LIMIT));
    context.insert("back", &format!("/backoffice/reports/ar-ageing?{}", query_string(&filter)));
    page("pages/report_invoices.html", &env, context)
}
