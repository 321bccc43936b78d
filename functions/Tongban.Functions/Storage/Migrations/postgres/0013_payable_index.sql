-- A monthly run's chunk walks applications in id order and reads only what decides whether the month is paid
-- (PayoutRuns.PayableSql) and the city that pays it. Ids are random UUIDs, unrelated to the order rows are stored in,
-- so reading the rows themselves cost a random heap read per application; with these columns in the index the chunk
-- is an index-only scan wherever the visibility map allows (issue 9).
CREATE INDEX ix_applications_payable ON applications (id) INCLUDE (service_item, status, start_month, end_month, stopped_on, suspended_from, insuring_city);
