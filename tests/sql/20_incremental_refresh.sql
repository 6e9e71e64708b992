-- 0.10.0 keeps the open items and customer health incrementally (docs/views.md,
-- "Incremental refresh"): after every kind of change the stored rows must equal a
-- recomputation from the definitions, and the customers nobody touched keep their rows.
-- The reference: ar.open_items(as_of) (reads only the ledger) for the open items, and
-- ar.customer_health_at(as_of) (every customer recomputed, from those open items once
-- they are checked equal) for the health rows; compared as text, so 1.0 <> 1.00.
SET TimeZone = 'UTC';
SELECT ar.generate_demo(customers => 300, seed => 20, as_of => '2026-06-30', foreign_share => 0.1);

-- Rows of the stored state that differ from the recomputation (both ways).
CREATE FUNCTION t.state_diff() RETURNS text LANGUAGE sql AS $$
    SELECT format('open items %s, health %s',
        (SELECT count(*) FROM ((SELECT s::text FROM ar.open_items_snapshot s EXCEPT ALL SELECT o::text FROM ar.open_items(ar.as_of()) o)
                               UNION ALL (SELECT o::text FROM ar.open_items(ar.as_of()) o EXCEPT ALL SELECT s::text FROM ar.open_items_snapshot s)) x),
        (SELECT count(*) FROM ((SELECT h::text FROM ar.customer_health h EXCEPT ALL SELECT c::text FROM ar.customer_health_at(ar.as_of()) c)
                               UNION ALL (SELECT c::text FROM ar.customer_health_at(ar.as_of()) c EXCEPT ALL SELECT h::text FROM ar.customer_health h)) x));
$$;
-- What the last refresh recomputed: {"full": ..., "rows": customers, "invoices": ...}.
CREATE FUNCTION t.last_recomputed() RETURNS jsonb LANGUAGE sql AS $$
    SELECT views -> 'customers_recomputed' FROM ar.refresh_log WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1;
$$;
-- The row versions of the stored health rows before a refresh, to see which it rewrote.
CREATE TABLE t.before (customer_id text PRIMARY KEY, version xid);
CREATE FUNCTION t.remember() RETURNS void LANGUAGE sql AS $$
    DELETE FROM t.before; INSERT INTO t.before SELECT customer_id, xmin FROM ar.customer_health_data;
$$;
CREATE FUNCTION t.rewritten() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM ar.customer_health_data d LEFT JOIN t.before b USING (customer_id) WHERE b.version IS DISTINCT FROM d.xmin;
$$;

-- 1. The first refresh rebuilds everything.
SELECT t.eq(ar.refresh('2026-05-31') LIKE 'succeeded%', true, 'first refresh succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'the first refresh recomputes every customer');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after the first refresh the stored state equals the definitions');
SELECT t.ok((SELECT count(*) FROM ar.open_items_snapshot) > 0 AND (SELECT count(*) FROM ar.customer_health) = 300, 'the demo has open items and 300 customers');

-- 2. The date moves one day, no data changes: only the customers the date moves are
-- recomputed (ar._customers_moved_by_date, computed here before the refresh), the
-- others keep their row versions, and the ages of the kept rows grew by one day.
SELECT t.remember();
CREATE TEMP TABLE moved AS SELECT ar._customers_moved_by_date('2026-05-31', '2026-06-01') AS customer_id;
CREATE TEMP TABLE kept_ages AS SELECT customer_id, oldest_past_due_days, oldest_open_dispute_days FROM ar.customer_health
 WHERE customer_id NOT IN (SELECT customer_id FROM moved);
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'as of +1 day succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'false', 'a day with no change is incremental');
SELECT t.eq((t.last_recomputed() ->> 'rows')::bigint, (SELECT count(*) FROM moved), 'it recomputes exactly the customers the date moves');
SELECT t.ok((SELECT count(*) FROM moved) BETWEEN 1 AND 299, 'the date moves some customers, not all');
SELECT t.eq(t.rewritten(), (SELECT count(*) FROM moved), 'only their rows are rewritten');
SELECT t.eq((SELECT count(*) FROM ar.customer_health h JOIN kept_ages k USING (customer_id)
              WHERE h.oldest_past_due_days IS DISTINCT FROM CASE WHEN k.oldest_past_due_days > 0 THEN k.oldest_past_due_days + 1 ELSE 0 END
                 OR h.oldest_open_dispute_days IS DISTINCT FROM k.oldest_open_dispute_days + 1), 0::bigint,
            'a kept row shows its oldest past-due item and open dispute one day older (0 and NULL stay)');
SELECT t.ok((SELECT count(*) FROM kept_ages WHERE oldest_past_due_days > 0) > 0, 'some kept rows have a past-due item (the shift is exercised)');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'as of +1 day: stored state equals the definitions');

-- 3. The same date again with no change recomputes nobody.
SELECT t.remember();
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'same date again succeeds');
SELECT t.eq(t.last_recomputed() ->> 'rows', '0', 'no change, same date: nobody recomputed');
SELECT t.eq(t.rewritten(), 0::bigint, 'and no row rewritten');

-- 4. A day's load: new invoices and payments for a few customers (plain DML).
SELECT t.remember();
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency)
SELECT 'NEW-' || c.customer_id, c.customer_id, '2026-06-01', '2026-07-01', 1234.56, c.currency
  FROM ar.customers c ORDER BY c.customer_id LIMIT 3;
-- (the demo's ledger runs to 2026-06-30: what is left open at its end, so nothing is over-applied)
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency)
SELECT 'C000010', o.invoice_id, '2026-06-01', o.open_amount, i.currency FROM ar.open_items('2026-12-31') o JOIN ar.invoices i USING (invoice_id)
 WHERE o.customer_id = 'C000010' AND o.invoice_date <= '2026-06-01' ORDER BY o.invoice_id LIMIT 1;
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'refresh after a load succeeds');
SELECT t.eq(t.last_recomputed() ->> 'rows', (SELECT count(DISTINCT x)::text FROM ((SELECT customer_id FROM ar.customers ORDER BY customer_id LIMIT 3) UNION SELECT 'C000010') y(x)),
            'it recomputes the 4 customers loaded (3 invoiced, 1 paid)');
SELECT t.eq(t.rewritten(), 4::bigint, 'and rewrites their 4 rows only');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after inserts: stored state equals the definitions');

-- 5. Updates, deletes, a backdated payment, a void, a dispute, a hold, a promise, a customer's terms.
UPDATE ar.invoices SET amount = amount + 100 WHERE invoice_id = 'NEW-' || (SELECT min(customer_id) FROM ar.customers);
DELETE FROM ar.payments WHERE payment_id = (SELECT max(payment_id) FROM ar.payments);
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency)
SELECT o.customer_id, o.invoice_id, '2026-04-15', 1.00, i.currency FROM ar.open_items('2026-12-31') o JOIN ar.invoices i USING (invoice_id)
 WHERE o.customer_id = 'C000020' AND o.invoice_date <= '2026-04-15' AND o.open_amount > 1 ORDER BY o.invoice_id LIMIT 1;
INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind)
SELECT o.invoice_id, '2026-06-01', o.open_amount, 'credit_memo' FROM ar.open_items('2026-12-31') o   -- a void
 WHERE o.customer_id = 'C000030' AND o.open_amount > 0 AND o.invoice_date <= '2026-06-01' ORDER BY o.invoice_id LIMIT 1;
INSERT INTO ar.disputes (dispute_id, invoice_id, opened_at)
SELECT 'D-T20', o.invoice_id, '2026-05-20 10:00+00' FROM ar.open_items_snapshot o WHERE o.customer_id = 'C000040' ORDER BY o.invoice_id LIMIT 1;
INSERT INTO ar.order_holds (hold_id, customer_id, placed_at) VALUES ('H-T20', 'C000050', '2026-05-30 09:00+00');
INSERT INTO ar.promises (promise_id, customer_id, made_on, promised_date, amount) VALUES ('P-T20', 'C000060', '2026-05-28', '2026-06-03', 500);
UPDATE ar.customers SET credit_limit = coalesce(credit_limit, 0) + 1000, payment_terms_days = 45 WHERE customer_id = 'C000070';
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'refresh after updates, deletes, backdated rows succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'false', 'still incremental');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after updates, deletes, a backdated payment, a void, a dispute, a hold, a promise, new terms: stored state equals the definitions');

-- 6. Dates that move many things: +2 days (the promise falls due and is broken the day
-- after, the dispute and hold age), +31 days (aging bounds, windows).
SELECT t.eq(ar.refresh('2026-06-04') LIKE 'succeeded%', true, 'as of +3 days succeeds');
SELECT t.eq((SELECT promises_broken_12m FROM ar.customer_health WHERE customer_id = 'C000060') >= 1, true, 'the promise due 06-03 is broken on 06-04');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'as of +3 days: stored state equals the definitions');
SELECT t.eq(ar.refresh('2026-07-05') LIKE 'succeeded%', true, 'as of +31 days succeeds');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'as of +31 days: stored state equals the definitions');

-- 7. Changes that must rebuild everything: a rate in effect, a TRUNCATE, a backwards move, full => true.
INSERT INTO ar.fx_rates (from_currency, to_currency, rate_date, rate)
SELECT f.from_currency, f.to_currency, '2026-06-15', f.rate * 1.01 FROM ar.fx_rates f
 WHERE f.rate_date = (SELECT max(rate_date) FROM ar.fx_rates WHERE rate_date < '2026-06-15') LIMIT 1
ON CONFLICT (from_currency, to_currency, rate_date) DO UPDATE SET rate = excluded.rate;
SELECT t.eq(ar.refresh('2026-07-05') LIKE 'succeeded%', true, 'refresh after a rate change succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'a rate dated before the stored date rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after a rate change: stored state equals the definitions');
SELECT t.eq(ar.refresh('2026-06-20') LIKE 'succeeded%', true, 'a backwards move succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'a backwards move rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after a backwards move: stored state equals the definitions');
TRUNCATE ar.order_holds;
SELECT t.eq(ar.refresh('2026-06-20') LIKE 'succeeded%', true, 'refresh after a TRUNCATE succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'a TRUNCATE rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after a TRUNCATE: stored state equals the definitions');
SELECT t.eq(ar.refresh('2026-06-21', full => true) LIKE 'succeeded%', true, 'full => true succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'full => true rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after full => true: stored state equals the definitions');

-- 8. A policy or strategy change reaches the views that read the health rows (those are
-- refreshed whole): the ratings of the day equal a recomputation.
UPDATE ar.rating_policy SET slip_warning_days = slip_warning_days + 1;
SELECT t.eq(ar.refresh('2026-06-22') LIKE 'succeeded%', true, 'refresh after a policy change succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'false', 'a policy change does not recompute the customer state');
SELECT t.eq(t.state_diff(), 'open items 0, health 0', 'after a policy change: stored state equals the definitions');

-- 9. Every day of a month, one refresh a day: the stored state stays equal throughout.
DO $$
DECLARE
    d date;
    bad text := '';
BEGIN
    FOR d IN SELECT g::date FROM generate_series('2026-06-23'::timestamp, '2026-07-10', interval '1 day') g LOOP
        INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency)
        SELECT o.customer_id, o.invoice_id, d, least(o.open_amount, 10), i.currency
          FROM ar.open_items('2026-12-31') o JOIN ar.invoices i USING (invoice_id)
         WHERE o.open_amount > 0 AND o.invoice_date <= d ORDER BY md5(o.invoice_id || d) LIMIT 2;
        PERFORM ar.refresh(d);
        IF t.state_diff() <> 'open items 0, health 0' THEN
            bad := bad || format('%s: %s; ', d, t.state_diff());
        END IF;
    END LOOP;
    PERFORM t.eq(bad, '', 'a refresh every day of 18 days, with two payments a day: stored state equals the definitions each day');
END $$;
SELECT t.eq((SELECT string_agg(as_of || ' ' || (views -> 'customers_recomputed'), '; ' ORDER BY run_id) FILTER (WHERE (views -> 'customers_recomputed' ->> 'full')::boolean)
               FROM ar.refresh_log WHERE run_id > (SELECT max(run_id) FROM ar.refresh_log WHERE as_of = '2026-06-22')), NULL,
            'each of those daily refreshes was incremental');
DO $$ BEGIN
    RAISE NOTICE 'report: daily refreshes of 300 customers, customers recomputed each day: %',
        (SELECT string_agg(views -> 'customers_recomputed' ->> 'rows', ' ' ORDER BY run_id) FROM ar.refresh_log WHERE run_id > (SELECT max(run_id) FROM ar.refresh_log WHERE as_of = '2026-06-22'));
END $$;
