-- The coordinator of a postgres_fdw scale-out (docs/scale-out.md): the receivables
-- tables hash-partitioned by customer_id over foreign partitions, one per shard; each
-- shard is a PostgreSQL server with ar_analytics installed and its customers' rows in
-- its own ar tables. Run with psql on the coordinator's database:
--   psql -v hosts=db1,db2,db3 -v ports=5432,5432,5432 -v dbname=ar -v user=postgres -f scripts/shards/coordinator.sql
-- (hosts: one host name or socket directory per shard, ports likewise; the same
-- database name and remote user on each. Shard K is the K-th, from 0.)
-- Creates schema dist with:
--   dist.customers, dist.invoices, dist.payments   the tables, partitioned by customer_id
--   dist.open_items                                each shard's ar.open_items_snapshot (stored by its own ar.refresh)
--   dist.adjustments_sK                            shard K's ar.adjustments (no customer_id column: loaded per shard)
-- The extensions option lets postgres_fdw send ar_analytics' immutable functions and
-- aggregates to the shards; use_remote_estimate lets it cost a join on the shard (without
-- it, a join of two foreign partitions is planned on the coordinator and every row
-- crosses the wire); async_capable lets the shards of one query work at the same time
-- (else they are asked one after the other); batch_size batches the inserts that load them.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SCHEMA dist;

SELECT format('CREATE SERVER shard%s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, dbname %L, extensions %L, use_remote_estimate %L, async_capable %L, batch_size %L, fetch_size %L)',
              k - 1, (string_to_array(:'hosts', ','))[k], p, :'dbname', 'ar_analytics', 'true', 'true', '1000', '10000'),
       format('CREATE USER MAPPING FOR CURRENT_USER SERVER shard%s OPTIONS (user %L)', k - 1, :'user')
  FROM unnest(string_to_array(:'ports', ',')) WITH ORDINALITY AS s(p, k) \gexec

-- the columns of the ar tables, without the generated keys (each shard makes its own)
CREATE TABLE dist.customers (
    customer_id text COLLATE "C" NOT NULL, name text NOT NULL, segment text, collector text, credit_limit numeric(18,2),
    payment_terms_days integer NOT NULL, currency char(3) NOT NULL, strategic_value numeric
) PARTITION BY HASH (customer_id);
CREATE TABLE dist.invoices (
    invoice_id text COLLATE "C" NOT NULL, customer_id text COLLATE "C" NOT NULL, invoice_date date NOT NULL, due_date date NOT NULL,
    amount numeric(18,2) NOT NULL, currency char(3) NOT NULL
) PARTITION BY HASH (customer_id);
CREATE TABLE dist.payments (
    customer_id text COLLATE "C" NOT NULL, invoice_id text COLLATE "C", payment_date date NOT NULL, amount numeric(18,2) NOT NULL,
    reference text, source_id text COLLATE "C", reversed_on date, currency char(3)
) PARTITION BY HASH (customer_id);
CREATE TABLE dist.open_items (
    invoice_id text COLLATE "C", customer_id text COLLATE "C" NOT NULL, invoice_date date, due_date date,
    amount numeric, open_amount numeric, days_past_due integer
) PARTITION BY HASH (customer_id);

SELECT format('CREATE FOREIGN TABLE dist.%s_s%s PARTITION OF dist.%s FOR VALUES WITH (MODULUS %s, REMAINDER %s) SERVER shard%s OPTIONS (schema_name %L, table_name %L)',
              t.name, k - 1, t.name, n, k - 1, k - 1, 'ar', t.remote)
  FROM (SELECT cardinality(string_to_array(:'ports', ',')) AS n) c,
       generate_series(1, c.n) AS k,
       (VALUES ('customers', 'customers'), ('invoices', 'invoices'), ('payments', 'payments'), ('open_items', 'open_items_snapshot')) AS t(name, remote) \gexec
SELECT format('CREATE FOREIGN TABLE dist.adjustments_s%s (invoice_id text COLLATE "C" NOT NULL, adjustment_date date NOT NULL, amount numeric(18,2) NOT NULL, kind text NOT NULL, source_id text COLLATE "C") SERVER shard%s OPTIONS (schema_name %L, table_name %L)',
              k - 1, k - 1, 'ar', 'adjustments')
  FROM generate_series(1, cardinality(string_to_array(:'ports', ','))) AS k \gexec
