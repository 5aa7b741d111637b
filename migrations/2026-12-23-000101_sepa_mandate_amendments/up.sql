-- The mandate a new one replaced (the customer entered another account while one was active):
-- its first collection carries the amendment details (original mandate id, account or bank).
ALTER TABLE sepa_mandates ADD COLUMN replaces_id bigint REFERENCES sepa_mandates (id);
