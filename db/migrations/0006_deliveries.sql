-- Webhook deliveries seen, so that a platform's retry changes nothing. Ids
-- are kept for a while (db.DedupeWindow), longer than any platform retries.
CREATE TABLE deliveries (
    source       TEXT    NOT NULL,
    delivery_id  TEXT    NOT NULL CHECK (delivery_id <> ''),
    received_at  INTEGER NOT NULL, -- unix seconds, UTC
    PRIMARY KEY (source, delivery_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX deliveries_received ON deliveries (source, received_at);

-- The status page's history: ids, topic and outcome only, never a body.
-- Bounded: the newest few per source and outcome (db.DeliveryLogKeep).
CREATE TABLE delivery_log (
    id           INTEGER PRIMARY KEY,
    source       TEXT    NOT NULL,
    delivery_id  TEXT    NOT NULL DEFAULT '',
    topic        TEXT    NOT NULL DEFAULT '',
    outcome      TEXT    NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'ignored', 'refused', 'malformed', 'failed')),
    reason       TEXT    NOT NULL DEFAULT '',
    records      INTEGER NOT NULL DEFAULT 0 CHECK (records >= 0),
    at           INTEGER NOT NULL -- unix milliseconds, UTC: deliveries come many a second
) STRICT;
CREATE INDEX delivery_log_source_outcome ON delivery_log (source, outcome, id);

-- Every delivery counted, per source and outcome, however old.
CREATE TABLE delivery_counts (
    source   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    count    INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (source, outcome)
) STRICT, WITHOUT ROWID;
