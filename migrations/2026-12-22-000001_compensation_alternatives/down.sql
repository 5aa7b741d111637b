ALTER TABLE compensation_grants DROP CONSTRAINT compensation_grants_check;
ALTER TABLE compensation_grants ADD CONSTRAINT compensation_grants_check
    CHECK ((option = 'credit' AND amount > 0) = (ledger_entry_id IS NOT NULL));
ALTER TABLE compensation_grants DROP CONSTRAINT compensation_grants_option_check;
ALTER TABLE compensation_grants ADD CONSTRAINT compensation_grants_option_check
    CHECK (option IN ('credit', 'storage'));
ALTER TABLE compensation_choices DROP CONSTRAINT compensation_choices_option_check;
ALTER TABLE compensation_choices ADD CONSTRAINT compensation_choices_option_check
    CHECK (option IN ('credit', 'storage'));
DROP TABLE compensation_alternatives;
