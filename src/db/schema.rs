// The diesel view of the tables in `migrations/`. Columns diesel has no type for
// (`journal_entries.created_xact`, an XID8 filled by its default) are left out on purpose.

diesel::table! {
    currencies (code) {
        code -> Bpchar,
        minor_units -> Int2,
    }
}

diesel::table! {
    customers (id) {
        id -> Int8,
        email -> Text,
        name -> Text,
        country -> Bpchar,
        language -> Text,
        currency -> Bpchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> Int8,
        code -> Text,
        name -> Text,
        kind -> Text,
        currency -> Bpchar,
        customer_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    journal_entries (id) {
        id -> Int8,
        idempotency_key -> Text,
        kind -> Text,
        memo -> Text,
        occurred_at -> Timestamptz,
        recorded_at -> Timestamptz,
        reference_type -> Nullable<Text>,
        reference_id -> Nullable<Text>,
        fingerprint -> Bytea,
    }
}

diesel::table! {
    postings (id) {
        id -> Int8,
        entry_id -> Int8,
        account_id -> Int8,
        currency -> Bpchar,
        amount -> Numeric,
    }
}

diesel::joinable!(customers -> currencies (currency));
diesel::joinable!(ledger_accounts -> customers (customer_id));
diesel::joinable!(postings -> journal_entries (entry_id));
diesel::joinable!(postings -> ledger_accounts (account_id));

diesel::allow_tables_to_appear_in_same_query!(
    currencies,
    customers,
    ledger_accounts,
    journal_entries,
    postings
);
