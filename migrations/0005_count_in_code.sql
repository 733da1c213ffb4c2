-- Account transaction counters are now kept by the code that writes transactions (a sync adds
-- what it inserted, disabling an account zeroes it). Per-row triggers made bulk deletes
-- (reset, cascades) slow and kept SQLite from truncating the table in one step.
DROP TRIGGER transactions_count_insert;
DROP TRIGGER transactions_count_delete;
DROP TRIGGER transactions_count_deleted;
