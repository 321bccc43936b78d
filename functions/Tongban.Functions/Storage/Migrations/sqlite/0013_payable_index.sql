-- A monthly run's chunk walks applications in id order and reads only what decides whether the month is paid
-- (PayoutRuns.PayableSql) and the city that pays it. Ids are random UUIDs, unrelated to the order rows are stored in,
-- so reading the rows themselves cost a random page read per application (a 1,000,000-payment run spent most of its
-- payment step there); this index holds those columns in id order, and the chunk reads nothing else (issue 9).
CREATE INDEX ix_applications_payable ON applications (id, service_item, status, start_month, end_month, stopped_on, suspended_from, insuring_city);
