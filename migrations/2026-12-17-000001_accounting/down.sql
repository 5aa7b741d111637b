DROP INDEX invoices_ledger_entry_idx;
DROP TABLE manual_entries;
DROP TABLE datev_exported_entries;
DROP TABLE fx_rates;
DROP TRIGGER journal_entries_month_open ON journal_entries;
DROP FUNCTION ledger_refuse_closed_month();
DROP TABLE closed_months;
