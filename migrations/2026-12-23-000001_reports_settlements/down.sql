DROP TRIGGER invoices_settle ON invoices;
DROP TRIGGER payment_allocations_settle ON payment_allocations;
DROP FUNCTION invoice_settlements_after_issue();
DROP FUNCTION invoice_settlements_after_allocation();
DROP FUNCTION invoice_settlements_refresh(BIGINT[]);
DROP TABLE invoice_settlements;
