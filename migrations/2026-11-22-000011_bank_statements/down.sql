DROP TABLE bank_assignments;
DROP TABLE bank_transactions;
DROP TABLE bank_imports;
