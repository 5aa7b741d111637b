ALTER TABLE sepa_mandates DROP COLUMN replaces_id;
