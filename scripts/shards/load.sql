-- Distribute the rows of this database's own ar tables to the shards through the
-- coordinator's dist tables (scripts/shards/coordinator.sql; docs/scale-out.md): each
-- row goes to the shard of its customer (hash partitioning routes it). Adjustments carry
-- no customer_id: each goes to its invoice's shard, found with the same hash.
-- Order: customers, invoices, debits, credits, payments (no shard ever holds an
-- over-applied invoice: its triggers check every statement).
\set ON_ERROR_STOP on
INSERT INTO dist.customers SELECT customer_id, name, segment, collector, credit_limit, payment_terms_days, currency, strategic_value FROM ar.customers;
INSERT INTO dist.invoices SELECT invoice_id, customer_id, invoice_date, due_date, amount, currency FROM ar.invoices;
SELECT format('INSERT INTO dist.adjustments_s%s SELECT a.invoice_id, a.adjustment_date, a.amount, a.kind, a.source_id FROM ar.adjustments a JOIN ar.invoices i USING (invoice_id) WHERE satisfies_hash_partition(%L::regclass, %s, %s, i.customer_id) ORDER BY a.kind <> %L',
              k, 'dist.invoices', n, k, 'debit_memo')
  FROM (SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'dist.invoices'::regclass) c, generate_series(0, c.n - 1) AS k \gexec
INSERT INTO dist.payments SELECT customer_id, invoice_id, payment_date, amount, reference, source_id, reversed_on, currency FROM ar.payments;
