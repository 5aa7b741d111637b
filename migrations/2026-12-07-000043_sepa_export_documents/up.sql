-- The pain.008 document of an export is kept in the export's row, written in the transaction
-- that claims its collections: the file on disk is written from it after the commit, and
-- `kontor sepa file ID` writes it again whenever needed. So collections never exist without
-- their document. Exports made before this migration have none (their file was on disk).
ALTER TABLE direct_debit_exports
    ADD COLUMN document BYTEA CHECK (document IS NULL OR encode(sha256(document), 'hex') = file_sha256);
