-- The panel's customer search finds a customer by the start of their name.
-- An index on the lower-cased name answers "lower(name) >= ? AND
-- lower(name) < ?" as a range search, never a scan (explain_test.go).
-- SQLite's lower() folds ASCII only, and the search folds its input the
-- same way; Arabic has no case.
CREATE INDEX customers_name_lower ON customers (lower(name));
