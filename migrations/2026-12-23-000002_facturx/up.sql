-- Factur-X: an e-invoice's CII XML is the legally relevant part. It is stored with its own
-- SHA-256 in the row of the PDF that carries it, written once with it (documents are
-- append-only) and never rebuilt.
ALTER TABLE documents
    ADD COLUMN xml BYTEA,
    ADD COLUMN xml_sha256 BYTEA,
    ADD CONSTRAINT documents_xml_has_its_hash CHECK ((xml IS NULL) = (xml_sha256 IS NULL));

-- Customers without a VAT ID get e-invoices only when they ask for them.
ALTER TABLE customers ADD COLUMN wants_e_invoice BOOLEAN NOT NULL DEFAULT FALSE;
