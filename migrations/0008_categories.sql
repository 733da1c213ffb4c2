-- Transaction categories. The bank's categorization and the PSU's choice are kept apart, so
-- a later sync that re-reads the bank never overwrites what the PSU set: the API shows the
-- PSU's category when there is one, else the bank's, else Powens' default (9998).
ALTER TABLE transactions ADD COLUMN id_category INTEGER;
ALTER TABLE transactions ADD COLUMN psu_id_category INTEGER;
