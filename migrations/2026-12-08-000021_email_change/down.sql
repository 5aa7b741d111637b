DELETE FROM one_time_tokens WHERE purpose IN ('change_email', 'restore_email');
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_address_purpose_check;
ALTER TABLE one_time_tokens DROP COLUMN address;
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'set_password'));
