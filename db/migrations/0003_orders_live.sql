-- Orders as live sources send them: the platform's own status label, the
-- payment status, the shipping address, the newest parcel's tracking, the
-- shop's links, where the row
-- came from and when the source last changed it. The new canonical
-- statuses need a new CHECK, and SQLite cannot alter one, so the table is
-- rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter) with its
-- ids, which order_items and payments reference.
--
-- The documented steps turn foreign keys off first, which SQLite ignores
-- inside a transaction, and every migration runs in one. Deferring the
-- checks to the commit instead lets the old table go before the new one
-- takes its name: the children keep naming "orders", and the commit fails
-- if any of them lost its order. The copy is a table of the database file,
-- not a TEMP one, which temp_store(MEMORY) would hold in memory whole. Rows
-- from before sources existed get source '' (unknown).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE orders_0002 AS SELECT * FROM orders;
DROP TABLE orders;

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    number           TEXT    NOT NULL UNIQUE CHECK (number <> ''),
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded',
                                                        'on_hold', 'partially_refunded', 'returned')),
    platform_status  TEXT    NOT NULL DEFAULT '',
    payment_status   TEXT    NOT NULL DEFAULT '' CHECK (payment_status IN ('', 'pending', 'paid', 'partially_paid', 'refunded',
                                                                          'partially_refunded', 'voided', 'failed')),
    currency         TEXT    NOT NULL CHECK (length(currency) = 3),
    total_minor      INTEGER NOT NULL CHECK (total_minor >= 0),
    -- Denormalised sum of order_items.quantity, so the order list needs no join.
    item_count       INTEGER NOT NULL DEFAULT 0 CHECK (item_count >= 0),
    placed_at        INTEGER NOT NULL, -- unix seconds, UTC
    ship_name        TEXT    NOT NULL DEFAULT '',
    ship_phone       TEXT    NOT NULL DEFAULT '',
    ship_city        TEXT    NOT NULL DEFAULT '',
    ship_country     TEXT    NOT NULL DEFAULT '',
    ship_line        TEXT    NOT NULL DEFAULT '',
    -- The newest shipment's, denormalised like item_count so that the order
    -- list needs no join; the store keeps them in step with shipments.
    shipment_status  TEXT    NOT NULL DEFAULT '',
    carrier          TEXT    NOT NULL DEFAULT '',
    tracking_number  TEXT    NOT NULL DEFAULT '',
    tracking_url     TEXT    NOT NULL DEFAULT '',
    admin_url        TEXT    NOT NULL DEFAULT '',
    customer_url     TEXT    NOT NULL DEFAULT '',
    -- A row written without a source is a CSV import's (the importer names
    -- only the file's columns).
    source           TEXT    NOT NULL DEFAULT 'csv',
    external_id      TEXT    CHECK (external_id <> ''), -- the platform's internal id; NULL if none
    updated_at       INTEGER NOT NULL DEFAULT 0 -- unix seconds, UTC, as the source said; 0: it never did
) STRICT;

INSERT INTO orders (id, number, customer_id, status, currency, total_minor, item_count, placed_at, source)
SELECT id, number, customer_id, status, currency, total_minor, item_count, placed_at, '' FROM orders_0002;
DROP TABLE orders_0002;

-- Serves the order list (keyset pagination), the order count and the last order.
CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at DESC, id DESC);
-- Payments and shipments may name their order by the platform's id. Rows
-- without one (CSV, the demo) stay out of the index: every import and seed
-- would pay for entries nobody looks up.
CREATE UNIQUE INDEX orders_source_external ON orders (source, external_id) WHERE external_id IS NOT NULL;
