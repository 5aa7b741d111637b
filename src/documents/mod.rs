//! What an invoice looks like outside the database: payment QR payloads today; the PDF and its
//! mail come with issue 6.

pub mod qr_payload;
