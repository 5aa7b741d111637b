-- Provisioning events are numbered per customer under that customer's lock (so different
-- customers never wait for each other), and take their place in the readers' order at
-- commit: a deferred trigger gives each event its `position` from a sequence while holding an
-- advisory lock that lives only for the commit. Positions therefore grow in commit order, and
-- a reader paging with `after=<position>` never misses an event that commits later with a
-- smaller number. Events written before this migration keep their id as their position, so
-- cursors readers already hold stay valid.

DROP TRIGGER provisioning_events_append_only ON provisioning_events;

ALTER TABLE provisioning_events ADD COLUMN position BIGINT;
UPDATE provisioning_events SET position = id;
CREATE UNIQUE INDEX provisioning_events_position_key ON provisioning_events (position);

CREATE SEQUENCE provisioning_events_position_seq;
SELECT setval('provisioning_events_position_seq', COALESCE((SELECT max(id) FROM provisioning_events), 0) + 1, false);

-- Append-only, except for the position the commit trigger (and only it) writes once: any
-- UPDATE or DELETE statement is refused unless it runs inside a trigger, and that one may only
-- set a missing position.
CREATE FUNCTION provisioning_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'provisioning events are append-only: % is refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'ledger_append_only';
END $$;
CREATE TRIGGER provisioning_events_append_only BEFORE UPDATE OR DELETE ON provisioning_events
    FOR EACH STATEMENT EXECUTE FUNCTION provisioning_events_refuse_change();

CREATE FUNCTION provisioning_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.position IS NULL AND NEW.position IS NOT NULL
       AND (NEW.id, NEW.customer_id, NEW.sequence, NEW.kind, NEW.mail_gb, NEW.storage_gb, NEW.occurred_at, NEW.details)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.customer_id, OLD.sequence, OLD.kind, OLD.mail_gb, OLD.storage_gb, OLD.occurred_at, OLD.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'provisioning events are append-only: only their position is given, once, at commit'
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'ledger_append_only';
END $$;
CREATE TRIGGER provisioning_events_position_once BEFORE UPDATE ON provisioning_events
    FOR EACH ROW EXECUTE FUNCTION provisioning_events_guard();

-- At commit, in insertion order: the lock (the same key the events' writers used to hold for
-- their whole transaction) is held from here to the end of the commit only.
CREATE FUNCTION provisioning_events_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(5435684721624481793);
    UPDATE provisioning_events SET position = nextval('provisioning_events_position_seq') WHERE id = NEW.id;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER provisioning_events_number AFTER INSERT ON provisioning_events
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION provisioning_events_number();
