-- Changing a sign-in address. A change link carries the new address, which becomes the
-- person's only when the link is used, so nobody gets an address they cannot read. A restore
-- link, sent to the old address when it changes, carries that old address: its owner can take
-- the account back if the change was not theirs.
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'set_password', 'change_email', 'restore_email'));
ALTER TABLE one_time_tokens ADD COLUMN address TEXT
    CHECK (address IS NULL OR (address LIKE '%_@_%' AND length(address) <= 254));
-- Exactly the links about an address carry one.
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_address_purpose_check
    CHECK ((purpose IN ('change_email', 'restore_email')) = (address IS NOT NULL));
