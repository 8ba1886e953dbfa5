-- The summary aggregates a customer's payments per currency. With the
-- columns it reads in one index, in currency order, SQLite answers it from
-- the index alone: no lookup of each payment's row, no sort for GROUP BY.
CREATE INDEX payments_customer_summary ON payments (customer_id, currency, status, kind, amount_minor);
