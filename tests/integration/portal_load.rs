//! `kontor bench portal` at a tiny size: signed-in customers read their invoice list, invoice
//! pages and PDFs through the real server while the real batch runs, and every request is
//! answered (the times are the benchmark's business, not the test's).

use std::time::Duration;

use kontor::bench::load::PageKind;
use kontor::bench::portal::{PortalBench, measure};

use crate::support::TestDb;

#[test]
fn customers_reading_their_invoices_while_the_batch_runs_get_every_page() {
    let db = TestDb::new();
    let settings = kontor::config::Settings::from_lookup(|_| None).expect("default settings");
    let params = PortalBench {
        customers: 12,
        signed_in: 3,
        seconds: 1,
        interval: Duration::from_millis(100),
        workers: 2,
        nice: 10,
    };
    let report = measure(&settings, &db.url(), params).expect("the benchmark runs");

    for tally in [&report.idle, &report.under_batch] {
        assert_eq!(tally.errors, 0, "first error: {:?}", tally.first_error);
        for kind in PageKind::ALL {
            assert!(tally.of(kind).spread().count > 0, "{} was asked for", kind.label());
        }
    }
    // The signed-in customers' December invoices come with the first run.
    assert_eq!(report.batch_alone.invoices, 12 + 3);
    assert_eq!(report.batch_under_load.invoices, 12);
    let text = report.to_string();
    assert!(text.contains("while the batch runs"), "{text}");
    assert!(text.contains("invoices/s"), "{text}");
}
