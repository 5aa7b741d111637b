-- The letter each customer gets for an incident's compensation: rendered once, when it is
-- final (granted), and kept with the stored document's SHA-256 like an invoice.
CREATE TABLE compensation_letters (
    incident_id BIGINT      NOT NULL REFERENCES incidents (id),
    customer_id BIGINT      NOT NULL REFERENCES customers (id),
    document_id BIGINT      NOT NULL UNIQUE REFERENCES documents (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (incident_id, customer_id)
);
