-- Records that are never changed once written must not vanish either: a TRUNCATE skips the
-- row-level and statement-level UPDATE/DELETE triggers, so each such table refuses it too.

-- Tables whose UPDATE and DELETE were refused already, but not TRUNCATE.
CREATE TRIGGER prices_no_truncate BEFORE TRUNCATE ON prices
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER provisioning_events_no_truncate BEFORE TRUNCATE ON provisioning_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER invoice_lines_no_truncate BEFORE TRUNCATE ON invoice_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER invoice_vat_no_truncate BEFORE TRUNCATE ON invoice_vat
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER payment_receipts_no_truncate BEFORE TRUNCATE ON payment_receipts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER payment_allocations_no_truncate BEFORE TRUNCATE ON payment_allocations
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Written once and never changed by Kontor: evidence of money moved or promised.
CREATE TRIGGER paypal_captures_append_only BEFORE UPDATE OR DELETE ON paypal_captures
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER paypal_captures_no_truncate BEFORE TRUNCATE ON paypal_captures
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER paypal_refunds_append_only BEFORE UPDATE OR DELETE ON paypal_refunds
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER paypal_refunds_no_truncate BEFORE TRUNCATE ON paypal_refunds
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER compensation_grants_append_only BEFORE UPDATE OR DELETE ON compensation_grants
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER compensation_grants_no_truncate BEFORE TRUNCATE ON compensation_grants
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER compensation_grant_uses_append_only BEFORE UPDATE OR DELETE ON compensation_grant_uses
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER compensation_grant_uses_no_truncate BEFORE TRUNCATE ON compensation_grant_uses
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER direct_debit_exports_append_only BEFORE UPDATE OR DELETE ON direct_debit_exports
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER direct_debit_exports_no_truncate BEFORE TRUNCATE ON direct_debit_exports
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Financial records whose state moves on (a bank transaction is assigned, a collection is
-- settled, a webhook is processed) but whose rows must never disappear wholesale.
CREATE TRIGGER bank_imports_no_truncate BEFORE TRUNCATE ON bank_imports
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER bank_transactions_no_truncate BEFORE TRUNCATE ON bank_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER bank_assignments_no_truncate BEFORE TRUNCATE ON bank_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER direct_debit_collections_no_truncate BEFORE TRUNCATE ON direct_debit_collections
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER sepa_mandates_no_truncate BEFORE TRUNCATE ON sepa_mandates
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER paypal_orders_no_truncate BEFORE TRUNCATE ON paypal_orders
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER paypal_webhook_events_no_truncate BEFORE TRUNCATE ON paypal_webhook_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER invoice_series_no_truncate BEFORE TRUNCATE ON invoice_series
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
