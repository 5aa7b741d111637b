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
        company_name -> Nullable<Text>,
        vat_id -> Nullable<Text>,
        street -> Text,
        postal_code -> Text,
        city -> Text,
        closed_at -> Nullable<Timestamptz>,
        anonymized_at -> Nullable<Timestamptz>,
        time_zone -> Nullable<Text>,
        wants_e_invoice -> Bool,
        // `search_name` (generated from name and company, see the support console migration)
        // is left out on purpose: nothing writes it, and only the search's SQL reads it.
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        email -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        customer_id -> Nullable<Int8>,
        language -> Text,
        email_verified_at -> Nullable<Timestamptz>,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamptz>,
        totp_last_step -> Nullable<Int8>,
        created_at -> Timestamptz,
        disabled_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Int8,
        token_hash -> Bytea,
        user_id -> Int8,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        second_factor_at -> Nullable<Timestamptz>,
        ip -> Text,
        user_agent -> Text,
        view_as_customer_id -> Nullable<Int8>,
    }
}

diesel::table! {
    one_time_tokens (token_hash) {
        token_hash -> Bytea,
        user_id -> Int8,
        purpose -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        address -> Nullable<Text>,
    }
}

diesel::table! {
    recovery_codes (user_id, code_hash) {
        user_id -> Int8,
        code_hash -> Bytea,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_user_id -> Nullable<Int8>,
        action -> Text,
        target -> Text,
        ip -> Text,
        details -> Jsonb,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Int8,
        idempotency_key -> Text,
        message_id -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        language -> Text,
        created_at -> Timestamptz,
        next_attempt_at -> Timestamptz,
        attempts -> Int4,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamptz>,
        attachment_document_id -> Nullable<Int8>,
        failed_at -> Nullable<Timestamptz>,
        secret -> Nullable<Text>,
        secret_expires_at -> Nullable<Timestamptz>,
        list_unsubscribe -> Nullable<Text>,
    }
}

diesel::table! {
    documents (id) {
        id -> Int8,
        invoice_id -> Nullable<Int8>,
        file_name -> Text,
        media_type -> Text,
        sha256 -> Bytea,
        byte_size -> Int4,
        content -> Bytea,
        created_at -> Timestamptz,
        xml -> Nullable<Bytea>,
        xml_sha256 -> Nullable<Bytea>,
    }
}

diesel::table! {
    rate_limit_hits (bucket, window_start) {
        bucket -> Text,
        window_start -> Timestamptz,
        hits -> Int4,
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
diesel::joinable!(documents -> invoices (invoice_id));
diesel::joinable!(mail_outbox -> documents (attachment_document_id));
diesel::joinable!(ledger_accounts -> customers (customer_id));
diesel::joinable!(postings -> journal_entries (entry_id));
diesel::joinable!(postings -> ledger_accounts (account_id));

diesel::table! {
    installation_secrets (name) {
        name -> Text,
        secret -> Bytea,
    }
}

diesel::table! {
    products (code) {
        code -> Text,
        kind -> Text,
    }
}

diesel::table! {
    plans (code) {
        code -> Text,
        product_code -> Text,
        kind -> Text,
        storage_gb -> Int4,
        sort_order -> Int4,
        available -> Bool,
    }
}

diesel::table! {
    prices (id) {
        id -> Int8,
        plan_code -> Text,
        currency -> Bpchar,
        monthly_amount -> Numeric,
        valid_from -> Date,
        created_at -> Timestamptz,
        created_by -> Nullable<Int8>,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Int8,
        customer_id -> Int8,
        plan_code -> Text,
        currency -> Bpchar,
        anchor_date -> Date,
        status -> Text,
        trial_ends_on -> Nullable<Date>,
        cancel_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    subscription_packs (id) {
        id -> Int8,
        subscription_id -> Int8,
        customer_id -> Int8,
        plan_code -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        created_at -> Timestamptz,
        start_announced -> Bool,
        end_announced -> Bool,
        grant_id -> Nullable<Int8>,
    }
}

diesel::table! {
    pending_charges (id) {
        id -> Int8,
        idempotency_key -> Text,
        customer_id -> Int8,
        subscription_id -> Int8,
        pack_id -> Nullable<Int8>,
        plan_code -> Text,
        service_from -> Date,
        service_until -> Date,
        currency -> Bpchar,
        net_amount -> Numeric,
        created_at -> Timestamptz,
        invoiced_at -> Nullable<Timestamptz>,
        invoice_id -> Nullable<Int8>,
    }
}

diesel::table! {
    invoice_series (series, year) {
        series -> Text,
        year -> Int4,
        next_number -> Int8,
    }
}

diesel::table! {
    invoices (id) {
        id -> Int8,
        kind -> Text,
        number -> Text,
        series_year -> Int4,
        sequence -> Int8,
        customer_id -> Int8,
        subscription_id -> Nullable<Int8>,
        billing_period -> Nullable<Text>,
        service_from -> Nullable<Date>,
        service_until -> Nullable<Date>,
        credited_invoice_id -> Nullable<Int8>,
        reason -> Nullable<Text>,
        issue_date -> Date,
        due_date -> Date,
        currency -> Bpchar,
        net -> Numeric,
        vat -> Numeric,
        gross -> Numeric,
        credit_applied -> Numeric,
        amount_due -> Numeric,
        vat_treatment -> Text,
        vat_note -> Nullable<Text>,
        language -> Text,
        customer_snapshot -> Jsonb,
        seller_snapshot -> Jsonb,
        payment_reference -> Text,
        ledger_entry_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invoice_lines (invoice_id, line_no) {
        invoice_id -> Int8,
        line_no -> Int4,
        description -> Text,
        plan_code -> Nullable<Text>,
        service_from -> Nullable<Date>,
        service_until -> Nullable<Date>,
        quantity -> Numeric,
        unit_price -> Numeric,
        net -> Numeric,
        vat_rate -> Numeric,
        vat -> Numeric,
    }
}

diesel::table! {
    invoice_vat (invoice_id, rate) {
        invoice_id -> Int8,
        rate -> Numeric,
        net -> Numeric,
        vat -> Numeric,
    }
}

diesel::table! {
    billing_run_items (period, subscription_id) {
        period -> Text,
        subscription_id -> Int8,
        state -> Text,
        invoice_id -> Nullable<Int8>,
        error -> Nullable<Text>,
        updated_at -> Timestamptz,
        attempts -> Int4,
        failed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    trial_claims (id) {
        id -> Int8,
        customer_id -> Int8,
        kind -> Text,
        fingerprint -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    provisioning_events (id) {
        id -> Int8,
        customer_id -> Int8,
        sequence -> Int8,
        kind -> Text,
        mail_gb -> Int4,
        storage_gb -> Int4,
        occurred_at -> Timestamptz,
        details -> Jsonb,
        position -> Nullable<Int8>,
    }
}

diesel::table! {
    bank_imports (id) {
        id -> Int8,
        file_name -> Text,
        file_sha256 -> Bytea,
        imported_by -> Nullable<Int8>,
        summary -> Jsonb,
        imported_at -> Timestamptz,
    }
}

diesel::table! {
    bank_transactions (id) {
        id -> Int8,
        identity -> Text,
        import_id -> Int8,
        account_iban -> Text,
        direction -> Text,
        currency -> Bpchar,
        amount -> Numeric,
        booking_date -> Date,
        value_date -> Nullable<Date>,
        account_servicer_ref -> Nullable<Text>,
        end_to_end_id -> Nullable<Text>,
        creditor_reference -> Nullable<Text>,
        remittance -> Nullable<Text>,
        debtor_name -> Nullable<Text>,
        debtor_iban -> Nullable<Text>,
        return_reason -> Nullable<Text>,
        reversal -> Bool,
        state -> Text,
        outcome -> Nullable<Text>,
        customer_id -> Nullable<Int8>,
        suggestions -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    bank_assignments (id) {
        id -> Int8,
        bank_transaction_id -> Int8,
        receipt_key -> Text,
        undone_by -> Nullable<Text>,
        assigned_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payment_receipts (key) {
        key -> Text,
        customer_id -> Int8,
        method -> Text,
        currency -> Bpchar,
        amount -> Numeric,
        fee -> Numeric,
        to_credit -> Numeric,
        received_in -> Int8,
        ledger_entry_id -> Int8,
        occurred_at -> Timestamptz,
        reversal_of -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payment_allocations (id) {
        id -> Int8,
        receipt_key -> Text,
        invoice_id -> Int8,
        customer_id -> Int8,
        currency -> Bpchar,
        amount -> Numeric,
        method -> Text,
        ledger_entry_id -> Int8,
        created_at -> Timestamptz,
    }
}

// How each invoice was settled (migration 2026-12-23-000001), kept by triggers on the
// allocations and credit notes; read by the payment behaviour report.
diesel::table! {
    invoice_settlements (invoice_id) {
        invoice_id -> Int8,
        owed -> Numeric,
        paid -> Numeric,
        settled_at -> Nullable<Timestamptz>,
        method -> Text,
    }
}

// A view (migration 000006): what is left to pay on each invoice.
diesel::table! {
    invoice_balances (invoice_id) {
        invoice_id -> Int8,
        customer_id -> Int8,
        currency -> Bpchar,
        due_date -> Date,
        gross -> Numeric,
        amount_due -> Numeric,
        credited -> Numeric,
        paid -> Numeric,
        open_amount -> Numeric,
    }
}

diesel::joinable!(plans -> products (product_code));
diesel::joinable!(prices -> plans (plan_code));
diesel::joinable!(subscription_packs -> plans (plan_code));
diesel::joinable!(subscription_packs -> subscriptions (subscription_id));
diesel::joinable!(users -> customers (customer_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));

diesel::table! {
    direct_debit_collections (id) {
        id -> Int8,
        invoice_id -> Int8,
        customer_id -> Int8,
        mandate_id -> Int8,
        end_to_end_id -> Text,
        amount -> Numeric,
        currency -> Bpchar,
        collection_date -> Date,
        sequence_type -> Text,
        export_id -> Nullable<Int8>,
        status -> Text,
        settlement_key -> Nullable<Text>,
        return_key -> Nullable<Text>,
        return_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    direct_debit_exports (id) {
        id -> Int8,
        message_id -> Text,
        collection_date -> Date,
        created_at -> Timestamptz,
        file_sha256 -> Text,
        count -> Int4,
        control_sum -> Numeric,
        document -> Nullable<Bytea>,
    }
}

diesel::table! {
    sepa_mandates (id) {
        id -> Int8,
        customer_id -> Int8,
        reference -> Text,
        debtor_name -> Text,
        iban -> Text,
        bic -> Nullable<Text>,
        signed_on -> Date,
        creditor_id -> Text,
        sequence -> Text,
        status -> Text,
        revoked_at -> Nullable<Timestamptz>,
        mandate_text_sha256 -> Text,
        language -> Text,
        created_at -> Timestamptz,
        replaces_id -> Nullable<Int8>,
    }
}

diesel::joinable!(invoice_lines -> invoices (invoice_id));
diesel::joinable!(invoice_vat -> invoices (invoice_id));

diesel::table! {
    paypal_captures (capture_id) {
        capture_id -> Text,
        order_id -> Nullable<Text>,
        invoice_id -> Int8,
        customer_id -> Int8,
        currency -> Bpchar,
        amount -> Numeric,
        fee -> Numeric,
        ledger_entry_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    paypal_orders (id) {
        id -> Int8,
        request_id -> Text,
        order_id -> Nullable<Text>,
        invoice_id -> Int8,
        customer_id -> Int8,
        currency -> Bpchar,
        amount -> Numeric,
        state -> Text,
        payer_id -> Nullable<Text>,
        capture_id -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    paypal_refunds (refund_id) {
        refund_id -> Text,
        capture_id -> Text,
        customer_id -> Int8,
        kind -> Text,
        currency -> Bpchar,
        amount -> Numeric,
        credit_note_id -> Nullable<Int8>,
        ledger_entry_id -> Int8,
        actor_user_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    paypal_webhook_events (id) {
        id -> Int8,
        event_id -> Text,
        event_type -> Text,
        capture_id -> Nullable<Text>,
        body -> Jsonb,
        outcome -> Text,
        received_at -> Timestamptz,
        processed_at -> Nullable<Timestamptz>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    bank_imports,
    bank_transactions,
    bank_assignments,
    invoice_balances,
    invoice_settlements,
    payment_receipts,
    payment_allocations,
    invoice_series,
    invoices,
    invoice_lines,
    invoice_vat,
    billing_run_items,
    installation_secrets,
    products,
    plans,
    prices,
    subscriptions,
    subscription_packs,
    pending_charges,
    trial_claims,
    provisioning_events,
    users,
    sessions,
    one_time_tokens,
    recovery_codes,
    audit_log,
    mail_outbox,
    documents,
    rate_limit_hits,
    currencies,
    customers,
    ledger_accounts,
    journal_entries,
    postings,
    direct_debit_collections,
    direct_debit_exports,
    sepa_mandates,
    paypal_captures,
    paypal_orders,
    paypal_refunds,
    paypal_webhook_events
);

// Issue 9: incidents, placements and compensation.
diesel::table! {
    compensation_choices (incident_id, subscription_id) {
        incident_id -> Int8,
        subscription_id -> Int8,
        customer_id -> Int8,
        option -> Text,
        chosen_at -> Timestamptz,
    }
}

diesel::table! {
    compensation_alternatives (incident_id, kind) {
        incident_id -> Int8,
        kind -> Text,
        storage_gb -> Nullable<Int4>,
        storage_months -> Nullable<Int4>,
        charity -> Nullable<Text>,
        is_default -> Bool,
    }
}

diesel::table! {
    compensation_letters (incident_id, customer_id) {
        incident_id -> Int8,
        customer_id -> Int8,
        document_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    compensation_grant_uses (invoice_id, grant_id) {
        invoice_id -> Int8,
        grant_id -> Int8,
        amount -> Numeric,
    }
}

diesel::table! {
    compensation_grants (id) {
        id -> Int8,
        incident_id -> Int8,
        subscription_id -> Int8,
        customer_id -> Int8,
        currency -> Bpchar,
        amount -> Numeric,
        downtime_seconds -> Int8,
        percent -> Numeric,
        reason -> Text,
        option -> Text,
        ledger_entry_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        by_month -> Nullable<Jsonb>,
    }
}

diesel::table! {
    incident_notice_subscribers (customer_id) {
        customer_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    incident_resources (incident_id, resource_id) {
        incident_id -> Int8,
        resource_id -> Int8,
    }
}

diesel::table! {
    incident_updates (id) {
        id -> Int8,
        incident_id -> Int8,
        posted_at -> Timestamptz,
        status -> Text,
        body -> Jsonb,
        idempotency_key -> Nullable<Text>,
    }
}

diesel::table! {
    incidents (id) {
        id -> Int8,
        kind -> Text,
        severity -> Text,
        title -> Jsonb,
        services -> Array<Text>,
        started_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
        announced_at -> Timestamptz,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        choice_deadline -> Nullable<Timestamptz>,
        storage_gb -> Nullable<Int4>,
        storage_months -> Nullable<Int4>,
    }
}

diesel::table! {
    placements (id) {
        id -> Int8,
        subscription_id -> Int8,
        customer_id -> Int8,
        resource_id -> Int8,
        placed_from -> Timestamptz,
        placed_until -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    resources (id) {
        id -> Int8,
        code -> Text,
        service -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sla_policies (plan_code) {
        plan_code -> Text,
        target_percent -> Numeric,
        tiers -> Jsonb,
        full_credit_hours -> Int4,
        announce_days -> Int4,
        trial_rule -> Text,
        cancelled_rule -> Text,
    }
}

diesel::joinable!(incident_updates -> incidents (incident_id));
diesel::joinable!(incident_resources -> incidents (incident_id));
diesel::joinable!(incident_resources -> resources (resource_id));
diesel::joinable!(placements -> resources (resource_id));
diesel::joinable!(compensation_grants -> incidents (incident_id));
diesel::joinable!(compensation_alternatives -> incidents (incident_id));
diesel::joinable!(compensation_grant_uses -> compensation_grants (grant_id));

diesel::allow_tables_to_appear_in_same_query!(
    compensation_alternatives,
    compensation_choices,
    compensation_letters,
    compensation_grant_uses,
    compensation_grants,
    incident_notice_subscribers,
    incident_resources,
    incident_updates,
    incidents,
    placements,
    resources,
    sla_policies,
);

diesel::table! {
    form_submissions (key) {
        key -> Text,
        user_id -> Nullable<Int8>,
        form -> Text,
        location -> Nullable<Text>,
        notice -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    trusted_devices (id) {
        id -> Int8,
        user_id -> Int8,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        kind -> Text,
        params -> Jsonb,
        state -> Text,
        done -> Int8,
        total -> Nullable<Int8>,
        result -> Jsonb,
        error -> Nullable<Text>,
        lease_until -> Nullable<Timestamptz>,
        attempts -> Int4,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

// Issue 19: the support console.
diesel::table! {
    staff_notes (id) {
        id -> Int8,
        customer_id -> Int8,
        author_user_id -> Int8,
        body -> Text,
        created_at -> Timestamptz,
    }
}
// Issue 17: collections.
diesel::table! {
    dunning_levels (customer_type, level) {
        customer_type -> Text,
        level -> Int4,
        days_after_due -> Int4,
        action -> Text,
        charges_interest -> Bool,
    }
}

diesel::table! {
    dunning_fees (customer_type, level, currency) {
        customer_type -> Text,
        level -> Int4,
        currency -> Bpchar,
        amount -> Numeric,
    }
}

diesel::table! {
    base_rates (valid_from) {
        valid_from -> Date,
        rate -> Numeric,
    }
}

diesel::table! {
    interest_margins (customer_type) {
        customer_type -> Text,
        points -> Numeric,
    }
}

diesel::table! {
    dunning_runs (day) {
        day -> Date,
        finished_at -> Timestamptz,
        notices -> Int4,
        reactivated -> Int4,
    }
}

diesel::table! {
    dunning_notices (id) {
        id -> Int8,
        invoice_id -> Int8,
        level -> Int4,
        customer_id -> Int8,
        action -> Text,
        sent_on -> Date,
        currency -> Bpchar,
        open_amount -> Numeric,
        fee -> Numeric,
        interest -> Numeric,
        interest_until -> Nullable<Date>,
        charge_invoice_id -> Nullable<Int8>,
        document_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    suspensions (id) {
        id -> Int8,
        customer_id -> Int8,
        invoice_id -> Int8,
        suspended_at -> Timestamptz,
        lifted_at -> Nullable<Timestamptz>,
        lifted_by -> Nullable<Text>,
    }
}

diesel::table! {
    dunning_pauses (id) {
        id -> Int8,
        customer_id -> Int8,
        reason -> Text,
        until -> Date,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    write_offs (invoice_id) {
        invoice_id -> Int8,
        customer_id -> Int8,
        currency -> Bpchar,
        amount -> Numeric,
        vat -> Numeric,
        reason -> Text,
        ledger_entry_id -> Int8,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    trial_end_reminders (subscription_id) {
        subscription_id -> Int8,
        customer_id -> Int8,
        sent_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    dunning_levels,
    dunning_fees,
    base_rates,
    interest_margins,
    dunning_notices,
    dunning_runs,
    suspensions,
    dunning_pauses,
    write_offs,
    trial_end_reminders,
);

// Issue 20: accounting (closed months, ECB rates, DATEV export record, manual entries).
diesel::table! {
    closed_months (month) {
        month -> Date,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        closed_at -> Timestamptz,
        closed_by -> Nullable<Int8>,
    }
}

diesel::table! {
    fx_rates (currency, rate_date) {
        currency -> Bpchar,
        rate_date -> Date,
        rate -> Numeric,
        source -> Text,
    }
}

diesel::table! {
    datev_exported_entries (entry_id) {
        entry_id -> Int8,
        month -> Date,
    }
}

diesel::table! {
    manual_entries (id) {
        id -> Int8,
        occurred_on -> Date,
        memo -> Text,
        postings -> Jsonb,
        proposed_by -> Int8,
        proposed_at -> Timestamptz,
        approved_by -> Nullable<Int8>,
        approved_at -> Nullable<Timestamptz>,
        entry_id -> Nullable<Int8>,
    }
}

diesel::table! {
    status_subscription_requests (token_hash) {
        token_hash -> Bytea,
        email -> Text,
        components -> Array<Text>,
        language -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    status_subscribers (id) {
        id -> Int8,
        email -> Text,
        components -> Array<Text>,
        language -> Text,
        confirmed_at -> Timestamptz,
    }
}

diesel::table! {
    status_unsubscribe_links (token_hash) {
        token_hash -> Bytea,
        subscriber_id -> Int8,
        update_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(status_unsubscribe_links -> status_subscribers (subscriber_id));

diesel::allow_tables_to_appear_in_same_query!(
    status_subscribers,
    status_subscription_requests,
    status_unsubscribe_links,
);
// Issue 20: EU VAT IDs checked against VIES.
diesel::table! {
    vat_id_checks (id) {
        id -> Int8,
        customer_id -> Int8,
        vat_id -> Text,
        result -> Text,
        name -> Nullable<Text>,
        address -> Nullable<Text>,
        request_identifier -> Nullable<Text>,
        request_date -> Nullable<Text>,
        reason -> Nullable<Text>,
        checked_at -> Timestamptz,
    }
}

diesel::joinable!(vat_id_checks -> customers (customer_id));
diesel::allow_tables_to_appear_in_same_query!(vat_id_checks, customers);
// Issue 21: payouts (pain.001.001.09 credit transfers back to customers).
diesel::table! {
    payout_exports (id) {
        id -> Int8,
        message_id -> Text,
        execution_date -> Date,
        count -> Int4,
        control_sum -> Numeric,
        file_sha256 -> Text,
        document -> Bytea,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payouts (id) {
        id -> Int8,
        source -> Text,
        bank_transaction_id -> Nullable<Int8>,
        customer_id -> Nullable<Int8>,
        creditor_name -> Text,
        iban -> Nullable<Text>,
        blocked_reason -> Nullable<Text>,
        amount -> Numeric,
        currency -> Bpchar,
        state -> Text,
        approved_by -> Nullable<Int8>,
        approved_at -> Nullable<Timestamptz>,
        export_id -> Nullable<Int8>,
        settled_by -> Nullable<Int8>,
        returned_by -> Nullable<Int8>,
        return_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(payouts -> payout_exports (export_id));
diesel::joinable!(payouts -> customers (customer_id));
diesel::allow_tables_to_appear_in_same_query!(payouts, payout_exports, customers);
diesel::allow_tables_to_appear_in_same_query!(payouts, bank_transactions);
diesel::allow_tables_to_appear_in_same_query!(payout_exports, bank_transactions);
