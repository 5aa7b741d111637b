-- EU VAT IDs as the EU's VIES service confirmed them: one row per check, kept as evidence
-- (the answer, VIES's consultation number and time). A customer's standing is the latest
-- check of the VAT ID now on file; reverse charge rests on it being `valid`.
CREATE TABLE vat_id_checks (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id        BIGINT      NOT NULL REFERENCES customers (id),
    -- With its prefix, as `customers.vat_id` holds it (e.g. ATU13585627).
    vat_id             TEXT        NOT NULL CHECK (length(vat_id) BETWEEN 3 AND 40),
    result             TEXT        NOT NULL CHECK (result IN ('valid', 'invalid', 'unavailable')),
    -- What VIES returned about the trader, where the member state shares it.
    name               TEXT,
    address            TEXT,
    -- VIES's consultation number (only given when the request names the seller's own VAT ID).
    request_identifier TEXT,
    -- VIES's own time of the answer, as it wrote it.
    request_date       TEXT,
    -- Why no answer came (an error code such as MS_UNAVAILABLE, a timeout), or VIES's code for
    -- refusing the number (INVALID_INPUT).
    reason             TEXT,
    checked_at         TIMESTAMPTZ NOT NULL,
    CHECK (result <> 'unavailable' OR reason IS NOT NULL)
);
CREATE INDEX vat_id_checks_latest_idx ON vat_id_checks (customer_id, vat_id, checked_at DESC, id DESC);

-- The one rule, used by the invoice batch and the quotes alike: the latest check of this
-- customer's VAT ID found it valid. Never checked, invalid or not answered yet is false.
CREATE FUNCTION vat_id_confirmed(customer BIGINT, vat_id TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT k.result = 'valid' FROM vat_id_checks k
                      WHERE k.customer_id = $1 AND k.vat_id = $2
                      ORDER BY k.checked_at DESC, k.id DESC LIMIT 1), false)
$$;
