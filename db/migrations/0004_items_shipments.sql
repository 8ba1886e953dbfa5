-- Line totals: a line may cost less than quantity × unit price (discounts),
-- so the source's figure is kept. Older rows had none: they get the product.
ALTER TABLE order_items ADD COLUMN line_minor INTEGER NOT NULL DEFAULT 0 CHECK (line_minor >= 0);
UPDATE order_items SET line_minor = quantity * unit_minor;

-- Shipments: one row per parcel, upserted by the source's ref.
CREATE TABLE shipments (
    id               INTEGER PRIMARY KEY,
    ref              TEXT    NOT NULL UNIQUE CHECK (ref <> ''),
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    carrier          TEXT    NOT NULL DEFAULT '',
    tracking_number  TEXT    NOT NULL DEFAULT '',
    tracking_url     TEXT    NOT NULL DEFAULT '', -- http(s) only: the store refuses others
    status           TEXT    NOT NULL CHECK (status IN ('label_created', 'in_transit', 'out_for_delivery', 'delivered',
                                                        'failed', 'returned', 'cancelled')),
    status_at        INTEGER, -- unix seconds, UTC; NULL if unknown
    source           TEXT    NOT NULL DEFAULT 'csv',
    updated_at       INTEGER NOT NULL DEFAULT 0
) STRICT;

-- An order's shipments in id order: its detail, and the newest one for the list.
CREATE INDEX shipments_order ON shipments (order_id, id);
