//! One integration test binary (it links once): a module per capability, all against the
//! real PostgreSQL that `support` starts for the run.

mod accounting;
mod accounts;
mod architecture;
mod bank;
mod billing_model;
mod browser;
mod cli;
mod closing;
mod collections;
mod compensation_alternatives;
mod documents;
mod email_change;
mod how_to_pay;
mod incidents;
mod invoicing;
mod launcher;
mod ledger;
mod mail;
mod payments;
mod paypal;
mod placements;
mod reports;
mod security;
mod self_service;
mod sepa;
mod simulated_year;
mod smtp_listener;
mod statement;
mod status_snapshot;
mod status_subscriptions;
mod subscriptions;
mod support;
mod support_console;
mod vat_ids;
mod web;
