DROP VIEW invoice_balances;
DROP INDEX invoices_credited_invoice_idx;
DROP TABLE payment_allocations;
DROP TABLE payment_receipts;
