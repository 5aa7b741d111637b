-- Documents as sent: the bytes of every PDF that left the house, with their SHA-256, written
-- once in the transaction that issues the invoice and never changed. They live in the
-- database, not on a local disk, so they commit or roll back with the invoice, every machine
-- of a multi-machine run sees them, and a backup holds invoices and their PDFs together.
CREATE TABLE documents (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- At most one document per invoice or credit note: a re-run cannot store a second one.
    invoice_id  BIGINT      UNIQUE REFERENCES invoices (id),
    file_name   TEXT        NOT NULL CHECK (file_name ~ '^[A-Za-z0-9._-]+$'),
    media_type  TEXT        NOT NULL,
    sha256      BYTEA       NOT NULL CHECK (octet_length(sha256) = 32),
    byte_size   INT         NOT NULL CHECK (byte_size = octet_length(content)),
    content     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- PDFs are compressed already: TOAST's compression would only burn CPU.
ALTER TABLE documents ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- An email may carry one stored document (the invoice PDF), attached at delivery time so
-- the bytes are kept once.
ALTER TABLE mail_outbox ADD COLUMN attachment_document_id BIGINT REFERENCES documents (id);
