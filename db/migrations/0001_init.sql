-- Customers of the shop. Matching keys are stored normalised (lower-case
-- email, E.164 digits for the phone) and NULL when unknown, so that an empty
-- value can never match anyone.
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    ref         TEXT    NOT NULL UNIQUE CHECK (ref <> ''),
    name        TEXT    NOT NULL,
    email       TEXT    CHECK (email <> ''),
    phone       TEXT    CHECK (phone <> ''),
    identifier  TEXT    CHECK (identifier <> ''),
    contact_id  INTEGER CHECK (contact_id > 0),
    created_at  INTEGER NOT NULL DEFAULT (unixepoch()) -- unix seconds, UTC
) STRICT;

-- One index per match key; the rowid each carries gives "ORDER BY id" free.
CREATE INDEX customers_contact_id ON customers (contact_id);
CREATE INDEX customers_identifier ON customers (identifier);
CREATE INDEX customers_email      ON customers (email);
CREATE INDEX customers_phone      ON customers (phone);

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    number       TEXT    NOT NULL UNIQUE CHECK (number <> ''),
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
    currency     TEXT    NOT NULL CHECK (length(currency) = 3),
    total_minor  INTEGER NOT NULL CHECK (total_minor >= 0),
    -- Denormalised sum of order_items.quantity, so the order list needs no join.
    item_count   INTEGER NOT NULL DEFAULT 0 CHECK (item_count >= 0),
    placed_at    INTEGER NOT NULL -- unix seconds, UTC
) STRICT;

-- Serves the order list (keyset pagination), the order count and the last order.
CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at DESC, id DESC);

CREATE TABLE order_items (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    sku         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_minor  INTEGER NOT NULL CHECK (unit_minor >= 0)
) STRICT;

-- Foreign keys need an index on the child side, or every parent update scans.
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    ref           TEXT    NOT NULL UNIQUE CHECK (ref <> ''),
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    order_id      INTEGER REFERENCES orders (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('charge', 'refund')),
    method        TEXT    NOT NULL DEFAULT '',
    card_brand    TEXT    NOT NULL DEFAULT '',
    card_last4    TEXT    NOT NULL DEFAULT '' CHECK (card_last4 = '' OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*')),
    status        TEXT    NOT NULL CHECK (status IN ('succeeded', 'failed', 'pending')),
    currency      TEXT    NOT NULL CHECK (length(currency) = 3),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0), -- refunds are positive amounts of kind 'refund'
    created_at    INTEGER NOT NULL -- unix seconds, UTC
) STRICT;

-- Serves the payment list (keyset pagination) and the summary's aggregates.
CREATE INDEX payments_customer_created ON payments (customer_id, created_at DESC, id DESC);
CREATE INDEX payments_order ON payments (order_id);
