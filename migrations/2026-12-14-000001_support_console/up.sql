-- The support console: one search box over customers, invoices, payment references, mandates
-- and PayPal payers, append-only staff notes, and "view as customer" on a staff session.

-- Both ship with Debian's postgresql package (postgresql-contrib); the local cluster's role is
-- its superuser, so creating them needs nothing else.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could be changed), so it cannot be indexed or
-- generate a column; this wrapper names the dictionary and is declared IMMUTABLE, the usual way. "Müller",
-- "MÜLLER" and "muller" all fold to "muller".
CREATE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- The digits of an invoice or credit note number: what a Swiss QR reference carries.
CREATE FUNCTION number_digits(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT regexp_replace($1, '[^0-9]', '', 'g') $$;

-- The name and company folded once, when written: a search then compares stored text (with a
-- trigram index) instead of unaccenting thousands of candidate rows per query.
ALTER TABLE customers ADD COLUMN search_name TEXT
    GENERATED ALWAYS AS (search_fold(name || coalesce(' ' || company_name, ''))) STORED;
CREATE INDEX customers_search_name_idx ON customers USING gin (search_name gin_trgm_ops);
CREATE INDEX customers_email_prefix_idx ON customers (lower(email) text_pattern_ops);
CREATE INDEX invoices_payment_reference_idx ON invoices (payment_reference);
CREATE INDEX invoices_number_digits_idx ON invoices (number_digits(number));
-- Mandates keep the debtor's IBAN (it is on every pain.008); its last four characters are
-- what a caller reads out.
CREATE INDEX sepa_mandates_iban_last4_idx ON sepa_mandates (right(iban, 4));
-- ... and so are those of the accounts transfers came from.
CREATE INDEX bank_transactions_debtor_iban_last4_idx ON bank_transactions (right(debtor_iban, 4))
    WHERE customer_id IS NOT NULL;
CREATE INDEX paypal_orders_payer_idx ON paypal_orders (payer_id) WHERE payer_id IS NOT NULL;
-- The customer page lists every email sent to the customer and the audit trail about them.
CREATE INDEX mail_outbox_recipient_idx ON mail_outbox (lower(recipient));
CREATE INDEX audit_log_target_idx ON audit_log (target);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id) WHERE actor_user_id IS NOT NULL;

-- What staff write down about a customer. Never edited or deleted: a correction is a new note.
CREATE TABLE staff_notes (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id    BIGINT      NOT NULL REFERENCES customers (id),
    author_user_id BIGINT      NOT NULL REFERENCES users (id),
    body           TEXT        NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 4000),
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_notes_customer_idx ON staff_notes (customer_id, id);
CREATE TRIGGER staff_notes_append_only BEFORE UPDATE OR DELETE ON staff_notes
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER staff_notes_no_truncate BEFORE TRUNCATE ON staff_notes
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- A staff session that looks at the portal as this customer sees it, read-only.
ALTER TABLE sessions ADD COLUMN view_as_customer_id BIGINT REFERENCES customers (id);
