//! Reports for finance: read-only views across invoicing and payments, written as CSV a page
//! at a time. They sit above both, so neither needs the other to answer "what is still open".

pub mod invoice_list;
