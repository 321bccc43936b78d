-- Payout runs are Durable orchestrations now (one per run, instance id from month and kind), rebuilt from payout_runs
-- by the reconciler: a run not completed gets an orchestration that continues from its status and cursor. The work
-- items that carried runs under leases, the last use of the table, go with it.
DROP TABLE work_items;
