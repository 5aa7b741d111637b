DROP TRIGGER direct_debit_exports_document_kept ON direct_debit_exports;
ALTER TABLE direct_debit_exports DROP COLUMN document;
