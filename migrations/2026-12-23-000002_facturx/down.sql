ALTER TABLE customers DROP COLUMN wants_e_invoice;
ALTER TABLE documents DROP CONSTRAINT documents_xml_has_its_hash, DROP COLUMN xml_sha256, DROP COLUMN xml;
