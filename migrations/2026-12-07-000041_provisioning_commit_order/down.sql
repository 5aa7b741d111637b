DROP TRIGGER provisioning_events_number ON provisioning_events;
DROP FUNCTION provisioning_events_number();
DROP TRIGGER provisioning_events_no_truncate ON provisioning_events;
DROP TRIGGER provisioning_events_append_only ON provisioning_events;
DROP FUNCTION provisioning_events_guard();
DROP SEQUENCE provisioning_events_position_seq;
ALTER TABLE provisioning_events DROP COLUMN position;
CREATE TRIGGER provisioning_events_append_only BEFORE UPDATE OR DELETE ON provisioning_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
