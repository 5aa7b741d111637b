//! Page templates, embedded at compile time and parsed once.

use std::sync::LazyLock;

use tera::Tera;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "pages/view_as_banner.html",
    "pages/base.html",
    "pages/home.html",
    "pages/reports.html",
    "pages/report.html",
    "pages/report_invoices.html",
    "pages/error.html",
    "pages/message.html",
    "pages/signup.html",
    "pages/login.html",
    "pages/password_forgot.html",
    "pages/password_new.html",
    "pages/account.html",
    "pages/account_closed.html",
    "pages/settings.html",
    "pages/email_confirm.html",
    "pages/sessions.html",
    "pages/two_factor_enrol.html",
    "pages/two_factor_codes.html",
    "pages/two_factor_challenge.html",
    "pages/backoffice.html",
    "pages/audit.html",
    "pages/subscription_refused.html",
    "pages/storage.html",
    "pages/storage_confirm.html",
    "pages/cancel.html",
    "pages/catalog.html",
    "pages/invoices.html",
    "pages/invoice.html",
    "pages/undeliverable_mail.html",
    "pages/collections.html",
    "pages/collections_step.html",
    "pages/bank.html",
    "pages/direct_debit.html",
    "pages/incident_card.html",
    "pages/status.html",
    "pages/status_subscribe_form.html",
    "pages/status_subscribe.html",
    "pages/status_link.html",
    "pages/my_incidents.html",
    "pages/incidents_admin.html",
    "pages/incident_admin.html",
    "pages/job.html",
    "pages/paypal_button.html",
    "pages/paypal_backoffice.html",
    "pages/support_search.html",
    "pages/support_customer.html",
    "pages/accounting.html",
    "pages/direct_debits.html",
    "pages/payouts.html",
    "pages/statement.html",
    "pages/payment_methods.html",
];

static TERA: LazyLock<Result<Tera, String>> = LazyLock::new(|| crate::templating::engine(TEMPLATES));

pub fn tera() -> Result<&'static Tera, String> {
    TERA.as_ref().map_err(Clone::clone)
}

/// Checks once at start-up that every template parses.
pub struct Templates;

impl Templates {
    pub fn load() -> Result<Templates, String> {
        tera().map(|_| Templates)
    }
}
