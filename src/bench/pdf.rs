//! `kontor bench pdf`: PDFs rendered per second on one core and their size, side by side with
//! the same invoice printed from HTML by headless Chromium (how HTML-to-PDF billing systems
//! make their documents). No database involved.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use iso_currency::Currency;
use rust_decimal::Decimal;

use super::{BenchError, Measurement, Report};
use crate::documents::facturx::{Guideline, cii_xml};
use crate::documents::model::InvoiceDocument;
use crate::documents::{render_facturx_pdf, render_pdf, sample};
use crate::i18n::format::Formats;
use crate::i18n::{t, t_args};

pub struct PdfBench {
    pub count: usize,
    /// Cold Chromium starts, one per invoice.
    pub chromium_runs: usize,
    /// Invoices printed by one warm Chromium (after a few untimed ones).
    pub warm_chromium_runs: usize,
    /// Also write one sample PDF per language (and a Swiss one) here.
    pub out: Option<PathBuf>,
    /// Also render the same invoices as Factur-X, timed beside the plain PDFs.
    pub facturx: bool,
}

const LANGUAGES: [&str; 7] = ["en", "de", "fr", "nl", "sv", "da", "nb"];

fn samples() -> Vec<(String, InvoiceDocument)> {
    let mut documents: Vec<(String, InvoiceDocument)> = LANGUAGES
        .iter()
        .map(|lang| {
            let (customer, currency) = sample::customer_for(lang);
            (lang.to_string(), sample::invoice(lang, customer, currency, 2, 100, Decimal::new(19, 0)))
        })
        .collect();
    let (mut swiss, _) = sample::customer_for("de");
    swiss.country = "CH".to_owned();
    swiss.city = "Zürich".to_owned();
    swiss.postal_code = "8001".to_owned();
    documents
        .push(("de-CH".to_owned(), sample::invoice("de", swiss, Currency::CHF, 2, 100, Decimal::new(81, 1))));
    documents
}

pub fn pdf(params: PdfBench) -> Result<Report, BenchError> {
    let documents = samples();
    if let Some(dir) = &params.out {
        std::fs::create_dir_all(dir).map_err(|e| BenchError::Io(dir.display().to_string(), e))?;
        for (name, doc) in &documents {
            let bytes = render_pdf(doc, "DE").map_err(|e| BenchError::Documents(e.to_string()))?;
            let path = dir.join(format!("invoice-{name}.pdf"));
            std::fs::write(&path, bytes).map_err(|e| BenchError::Io(path.display().to_string(), e))?;
        }
    }
    let mut report = Report { title: "PDF rendering (one core)".to_owned(), ..Default::default() };
    // Warm up: the font is parsed once per process.
    let mut cycle = documents.iter().map(|(_, doc)| doc).cycle();
    let first = cycle.next().ok_or_else(|| BenchError::Documents("no samples".to_owned()))?;
    render_pdf(first, "DE").map_err(|e| BenchError::Documents(e.to_string()))?;
    let started = Instant::now();
    let mut sizes = Vec::with_capacity(params.count);
    for doc in cycle.take(params.count) {
        let bytes = render_pdf(doc, "DE").map_err(|e| BenchError::Documents(e.to_string()))?;
        sizes.push(bytes.len());
    }
    let seconds = started.elapsed().as_secs_f64();
    report.measurements.push(Measurement {
        label: "printpdf, 7 languages + CHF QR-bill".to_owned(),
        entries: params.count,
        seconds,
    });
    let mean = sizes.iter().sum::<usize>() as f64 / sizes.len().max(1) as f64;
    let largest = sizes.iter().copied().max().unwrap_or(0);
    report.notes.push(format!("bytes per PDF: mean {mean:.0}, largest {largest}"));
    if params.facturx {
        facturx(&documents, params.count, seconds, &mut report)?;
    }

    if params.chromium_runs > 0 {
        match chromium() {
            None => report.notes.push("chromium: not installed, comparison skipped".to_owned()),
            Some(binary) => {
                let scratch =
                    std::env::temp_dir().join(format!("kontor-bench-chromium-{}", std::process::id()));
                std::fs::create_dir_all(&scratch)
                    .map_err(|e| BenchError::Io(scratch.display().to_string(), e))?;
                let doc = documents
                    .get(1)
                    .map(|(_, d)| d)
                    .ok_or_else(|| BenchError::Documents("no samples".to_owned()))?;
                let html = scratch.join("invoice.html");
                std::fs::write(&html, invoice_html(doc))
                    .map_err(|e| BenchError::Io(html.display().to_string(), e))?;
                let started = Instant::now();
                let mut chromium_bytes = 0;
                for run in 0..params.chromium_runs {
                    chromium_bytes = print_to_pdf(&binary, &scratch, &html, run)?;
                }
                let chromium_seconds = started.elapsed().as_secs_f64();
                report.measurements.push(Measurement {
                    label: "headless Chromium --print-to-pdf, same invoice".to_owned(),
                    entries: params.chromium_runs,
                    seconds: chromium_seconds,
                });
                let ours = seconds / params.count.max(1) as f64;
                let theirs = chromium_seconds / params.chromium_runs.max(1) as f64;
                report.notes.push(format!(
                    "cold Chromium: {:.0} ms and {chromium_bytes} bytes per invoice; Kontor is {:.0}x faster",
                    theirs * 1000.0,
                    theirs / ours
                ));
                if params.warm_chromium_runs > 0 {
                    let warm = warm_chromium(&binary, &scratch, &html, params.warm_chromium_runs)?;
                    let per_invoice = warm.seconds / warm.entries.max(1) as f64;
                    report.notes.push(format!(
                        "warm Chromium (one browser, one page reused): {:.1} ms per invoice; Kontor is {:.0}x faster (goal: 50x)",
                        per_invoice * 1000.0,
                        per_invoice / ours
                    ));
                    report.measurements.push(warm);
                }
                let _ = std::fs::remove_dir_all(&scratch);
            }
        }
    }
    Ok(report)
}

/// The same invoices as Factur-X: the CII XML written and the PDF/A-3 carrying it, on the same
/// core right after the plain PDFs. The goal is less than 50 % extra cost.
fn facturx(
    documents: &[(String, InvoiceDocument)],
    count: usize,
    plain_seconds: f64,
    report: &mut Report,
) -> Result<(), BenchError> {
    let started = Instant::now();
    for (_, doc) in documents.iter().cycle().take(count) {
        let xml = cii_xml(doc, "DE", Guideline::En16931).map_err(|e| BenchError::Documents(e.to_string()))?;
        render_facturx_pdf(doc, "DE", &xml).map_err(|e| BenchError::Documents(e.to_string()))?;
    }
    let seconds = started.elapsed().as_secs_f64();
    report.measurements.push(Measurement {
        label: "Factur-X (CII XML + PDF/A-3), same invoices".to_owned(),
        entries: count,
        seconds,
    });
    let extra = (seconds / plain_seconds.max(f64::EPSILON) - 1.0) * 100.0;
    let verdict = if extra < 50.0 { "met" } else { "not met" };
    report.notes.push(format!("Factur-X extra cost per invoice: {extra:.0} % (goal < 50 %: {verdict})"));
    Ok(())
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| super::chromium::on_path(name))
}

/// The same invoice printed `runs` times by one warm Chromium, each time loaded afresh.
fn warm_chromium(binary: &Path, scratch: &Path, html: &Path, runs: usize) -> Result<Measurement, BenchError> {
    let driver = super::chromium::on_path("chromedriver")
        .ok_or_else(|| BenchError::Documents("warm chromium: chromedriver is not installed".to_owned()))?;
    let warm = super::chromium::WarmChromium::start(binary, &driver, scratch)?;
    let url = format!("file://{}", html.display());
    // Untimed: the first prints load the fonts and the print machinery.
    for _ in 0..3 {
        warm.print(&url)?;
    }
    let started = Instant::now();
    for _ in 0..runs {
        warm.print(&url)?;
    }
    let retries = warm.retries.get();
    Ok(Measurement {
        label: format!(
            "headless Chromium kept warm (WebDriver print), same invoice, {retries} prints retried"
        ),
        entries: runs,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One cold `--print-to-pdf` run, as an HTML-to-PDF billing job runs it per invoice.
fn print_to_pdf(binary: &Path, scratch: &Path, html: &Path, run: usize) -> Result<usize, BenchError> {
    let out = scratch.join(format!("invoice-{run}.pdf"));
    let profile = scratch.join(format!("profile-{run}"));
    let status = Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| BenchError::Io(binary.display().to_string(), e))?;
    if !status.success() {
        return Err(BenchError::Documents(format!("chromium exited with {status}")));
    }
    let bytes = std::fs::metadata(&out).map_err(|e| BenchError::Io(out.display().to_string(), e))?.len();
    Ok(bytes as usize)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The same invoice as an HTML page with print CSS, as an HTML-to-PDF system would keep it.
fn invoice_html(doc: &InvoiceDocument) -> String {
    let lang = &doc.language;
    let f = Formats::new(lang, &doc.customer.country);
    let title = t_args(lang, "pdf-invoice-title", &[("number", doc.number.clone().into())]);
    let mut rows = String::new();
    for (n, line) in doc.lines.iter().enumerate() {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{} %</td><td class=n>{}</td></tr>",
            n + 1,
            escape(&line.description),
            line.quantity.normalize(),
            f.money(line.unit_price),
            f.percent(line.vat_rate),
            f.money(line.net)
        ));
    }
    format!(
        "<!doctype html><html lang={code}><meta charset=utf-8><title>{title}</title>
<style>@page {{ size: A4; margin: 20mm 20mm 25mm 25mm }} body {{ font: 9pt 'DejaVu Sans', sans-serif }}
.address {{ position: absolute; top: 45mm; width: 85mm }} table {{ width: 100%; border-collapse: collapse; margin-top: 90mm }}
th {{ text-align: left; border-bottom: 1pt solid }} .n {{ text-align: right }}</style>
<h1>{seller}</h1><div class=address>{name}<br>{street}<br>{postal} {city}</div>
<h2>{title}</h2><table><thead><tr><th>{pos}</th><th>{desc}</th><th class=n>{qty}</th><th class=n>{unit}</th><th class=n>{vat}</th><th class=n>{amount}</th></tr></thead>
<tbody>{rows}</tbody></table><p class=n>{total}: <b>{gross}</b></p>
<p>{pay}</p></html>",
        code = lang.code(),
        seller = escape(&doc.seller.name),
        name = escape(&doc.customer.name),
        street = escape(&doc.customer.street),
        postal = escape(&doc.customer.postal_code),
        city = escape(&doc.customer.city),
        pos = t(lang, "pdf-position"),
        desc = t(lang, "invoices-description"),
        qty = t(lang, "invoices-quantity"),
        unit = t(lang, "invoices-unit-price"),
        vat = t(lang, "invoices-vat-rate"),
        amount = t(lang, "pdf-amount"),
        total = t(lang, "pdf-total"),
        gross = f.money(doc.gross),
        pay = escape(&t_args(
            lang,
            "invoices-pay-by-transfer",
            &[
                ("date", f.date(doc.due_date).into()),
                ("iban", doc.seller.iban.clone().into()),
                ("bic", doc.seller.bic.clone().into()),
                ("reference", doc.payment_reference.clone().into()),
            ]
        )),
    )
}
