-- What an incident offers its affected customers instead of (or as) a credit, as data: one row
-- per alternative; `credit` is always among them, and exactly one is what a customer who did
-- not choose gets once the deadline (incidents.choice_deadline) has passed.
CREATE TABLE compensation_alternatives (
    incident_id BIGINT  NOT NULL REFERENCES incidents (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('credit', 'storage', 'free_month', 'donation')),
    storage_gb     INT  CHECK (storage_gb BETWEEN 1 AND 10000),
    storage_months INT  CHECK (storage_months BETWEEN 1 AND 24),
    -- The charity the provider names for a donation of the amount.
    charity     TEXT    CHECK (charity IS NULL OR length(charity) BETWEEN 1 AND 200),
    is_default  BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (incident_id, kind),
    CHECK ((kind = 'storage') = (storage_gb IS NOT NULL AND storage_months IS NOT NULL)),
    CHECK ((kind = 'donation') = (charity IS NOT NULL))
);
CREATE UNIQUE INDEX compensation_alternatives_one_default
    ON compensation_alternatives (incident_id) WHERE is_default;

-- Incidents that offered extra storage offered it against the credit, the default.
INSERT INTO compensation_alternatives (incident_id, kind, is_default)
SELECT id, 'credit', true FROM incidents WHERE storage_gb IS NOT NULL AND choice_deadline IS NOT NULL;
INSERT INTO compensation_alternatives (incident_id, kind, storage_gb, storage_months)
SELECT id, 'storage', storage_gb, storage_months FROM incidents
 WHERE storage_gb IS NOT NULL AND storage_months IS NOT NULL AND choice_deadline IS NOT NULL;

ALTER TABLE compensation_choices DROP CONSTRAINT compensation_choices_option_check;
ALTER TABLE compensation_choices ADD CONSTRAINT compensation_choices_option_check
    CHECK (option IN ('credit', 'storage', 'free_month', 'donation'));
ALTER TABLE compensation_grants DROP CONSTRAINT compensation_grants_option_check;
ALTER TABLE compensation_grants ADD CONSTRAINT compensation_grants_option_check
    CHECK (option IN ('credit', 'storage', 'free_month', 'donation'));
-- Money moves (to the customer's credit, or to the charity) exactly when the grant books it.
ALTER TABLE compensation_grants DROP CONSTRAINT compensation_grants_check;
ALTER TABLE compensation_grants ADD CONSTRAINT compensation_grants_check
    CHECK ((option IN ('credit', 'free_month', 'donation') AND amount > 0) = (ledger_entry_id IS NOT NULL));
