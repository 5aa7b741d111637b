ALTER TABLE direct_debit_exports DROP COLUMN document;
