-- The panel's lists read a customer's newest orders and payments, 21 rows
-- each. Since the live-data columns (0003, 0004) an order row is several
-- hundred bytes, and rows reached through an index were spread over
-- several table pages, each a read from the file when the page cache is
-- small (db/cache.go). These indexes hold every column the two lists
-- read, in the lists' order, so a page of either list is one range of one
-- index (BENCHMARKS.md, "Covering indexes for the panel's lists"). They
-- keep the names and leading columns of the indexes they replace.
DROP INDEX orders_customer_placed;
CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at DESC, id DESC,
  number, status, currency, total_minor, item_count, platform_status, payment_status, source,
  shipment_status, carrier, tracking_number, tracking_url);
DROP INDEX payments_customer_created;
CREATE INDEX payments_customer_created ON payments (customer_id, created_at DESC, id DESC,
  ref, order_id, kind, method, card_brand, card_last4, status, currency, amount_minor);
-- Each payment on a page shows its order's number: by id, from this narrow
-- index, not from the order's wide row.
CREATE INDEX orders_id_number ON orders (id, number);
