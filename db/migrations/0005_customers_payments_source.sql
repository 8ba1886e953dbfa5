-- Customers and payments record where they came from and when the source
-- last changed them, like orders (0003). A constant default costs nothing
-- on a large table (no row is rewritten), so source '' means unknown: a row
-- from before sources, or from a CSV import, which names only its columns.
ALTER TABLE customers ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN external_id TEXT CHECK (external_id <> '');
ALTER TABLE customers ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
-- Partial, as orders_source_external is.
CREATE UNIQUE INDEX customers_source_external ON customers (source, external_id) WHERE external_id IS NOT NULL;

ALTER TABLE payments ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
