DROP INDEX customers_name_normalized_idx;
DROP TABLE bank_assignments;
DROP TABLE bank_transactions;
DROP TABLE bank_imports;
