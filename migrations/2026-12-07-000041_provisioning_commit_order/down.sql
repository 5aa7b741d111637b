DROP TRIGGER provisioning_events_number ON provisioning_events;
DROP FUNCTION provisioning_events_number();
DROP TRIGGER provisioning_events_position_once ON provisioning_events;
DROP FUNCTION provisioning_events_guard();
DROP TRIGGER provisioning_events_append_only ON provisioning_events;
DROP FUNCTION provisioning_events_refuse_change();
DROP SEQUENCE provisioning_events_position_seq;
ALTER TABLE provisioning_events DROP COLUMN position;
CREATE TRIGGER provisioning_events_append_only BEFORE UPDATE OR DELETE ON provisioning_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
