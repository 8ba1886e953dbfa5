-- Customers and payments record where they came from and when the source
-- last changed them, like orders (0003). Existing rows: source '' (unknown).
ALTER TABLE customers ADD COLUMN source TEXT NOT NULL DEFAULT 'csv';
ALTER TABLE customers ADD COLUMN external_id TEXT CHECK (external_id <> '');
ALTER TABLE customers ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET source = '';
CREATE UNIQUE INDEX customers_source_external ON customers (source, external_id);

ALTER TABLE payments ADD COLUMN source TEXT NOT NULL DEFAULT 'csv';
ALTER TABLE payments ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE payments SET source = '';
