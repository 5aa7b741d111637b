#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::dbg_macro
    )
)]

pub mod accounting;
pub mod accounts;
pub mod audit;
pub mod bench;
pub mod catalog;
pub mod causes;
pub mod cli;
pub mod clock;
pub mod closing;
pub mod collections;
pub mod config;
pub mod country;
pub mod csv_export;
pub mod db;
pub mod demo;
pub mod documents;
pub mod failpoint;
pub mod failure;
pub mod fake_server;
pub mod fonts;
pub mod i18n;
pub mod iban;
pub mod ids;
pub mod incidents;
pub mod invoicing;
pub mod jobs;
pub mod ledger;
pub mod letters;
pub mod mail;
pub mod money;
pub mod payments;
pub mod phases;
pub mod priority;
pub mod rate_limit;
pub mod references;
pub mod reports;
pub mod seed;
pub mod seller;
pub mod site;
pub mod statements;
pub mod subscriptions;
pub mod support;
pub mod tax;
pub mod telemetry;
pub mod templating;
pub mod text;
pub mod token;
pub mod web;
