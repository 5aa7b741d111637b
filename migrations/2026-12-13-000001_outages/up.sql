-- Issue 18: placements reported by the platform, a reader's own time zone, and one notice per
-- customer per incident update.

-- The platform may send the same move again (a retried request, the nightly export): a
-- placement is known by subscription, resource and the moment it began.
CREATE UNIQUE INDEX placements_once ON placements (subscription_id, resource_id, placed_from);

-- The customer's own time zone (IANA name) for times in notices and letters; unset, the
-- country's main zone applies.
ALTER TABLE customers ADD COLUMN time_zone TEXT CHECK (time_zone IS NULL OR time_zone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$');
