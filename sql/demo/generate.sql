-- ar.generate_demo: a deterministic, realistic synthetic portfolio.
-- Same (customers, seed, as_of) => same rows. Set-based: every random draw is
-- ar._demo_uniform(seed, stream, index), a pure function, so no row depends on
-- the order in which rows are produced.
CREATE OR REPLACE FUNCTION ar.generate_demo(customers integer DEFAULT 1000, seed bigint DEFAULT 42,
                                 as_of date DEFAULT date '2026-06-30', replace boolean DEFAULT false,
                                 foreign_share numeric DEFAULT 0)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n_invoices bigint;
BEGIN
    IF customers IS NULL OR seed IS NULL OR as_of IS NULL OR replace IS NULL OR foreign_share IS NULL THEN
        RAISE EXCEPTION 'ar.generate_demo: customers, seed, as_of, replace and foreign_share must not be NULL'
              USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF customers < 1 OR customers > 1000000 THEN
        RAISE EXCEPTION 'ar.generate_demo: customers must be between 1 and 1000000, got %', customers
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT (foreign_share BETWEEN 0 AND 1) THEN   -- NaN is not between them either
        RAISE EXCEPTION 'ar.generate_demo: foreign_share must be between 0 and 1, got %', foreign_share
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'ar.generate_demo: as_of must be a finite date, got %', as_of
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT FROM ar.customers) OR EXISTS (SELECT FROM ar.invoices) OR EXISTS (SELECT FROM ar.payments) THEN
        IF NOT replace THEN
            RAISE EXCEPTION 'ar.generate_demo: the ar tables already hold data'
                  USING ERRCODE = 'object_not_in_prerequisite_state',
                        HINT = 'Call ar.generate_demo(..., replace => true) to delete ALL rows of the ar tables first.';
        END IF;
        TRUNCATE ar.activities, ar.order_holds, ar.promises, ar.disputes, ar.adjustments,
                 ar.payments, ar.invoices, ar.demo_profiles, ar.payment_plan_installments, ar.payment_plans, ar.collector_assignments, ar.customers, ar.fx_rates,
                 ar.payment_model, ar.payment_model_fit RESTART IDENTITY;   -- and the model learnt from the old rows
    END IF;

    -- Customers: Pareto-like sizes (invoices per month = 0.95 * u^-0.55, capped at 60).
    CREATE TEMP TABLE _demo_cust ON COMMIT DROP AS
    SELECT i AS k,
           'C' || lpad(i::text, 6, '0') AS customer_id,
           CASE WHEN u1 < 0.30 THEN 'prompt' WHEN u1 < 0.45 THEN 'early' WHEN u1 < 0.65 THEN 'steady_late'
                WHEN u1 < 0.77 THEN 'chronic_late' WHEN u1 < 0.90 THEN 'slipping' ELSE 'defaulting' END AS profile,
           least(60.0, 0.95 * power(greatest(u2, 1e-9), -0.55)) AS per_month,
           round((300 * exp(2.6 * u3))::numeric * cur.factor, ar.currency_minor_unit(cur.currency)) AS avg_amount,
           CASE WHEN u4 < 0.15 THEN 15 WHEN u4 < 0.65 THEN 30 WHEN u4 < 0.85 THEN 45 ELSE 60 END AS terms,
           (ARRAY['Alice', 'Bruno', 'Chen', 'Dana', 'Emeka'])[1 + floor(u5 * 5)::int] AS collector,
           (1 + floor(u6 * 10))::numeric AS strategic_value,
           u7, cur.currency, cur.factor, ar.currency_minor_unit(cur.currency) AS minor
      FROM generate_series(1, customers) AS i,
           LATERAL (SELECT ar._demo_uniform(seed, 1, i) AS u1, ar._demo_uniform(seed, 2, i) AS u2,
                           ar._demo_uniform(seed, 3, i) AS u3, ar._demo_uniform(seed, 4, i) AS u4,
                           ar._demo_uniform(seed, 5, i) AS u5, ar._demo_uniform(seed, 6, i) AS u6,
                           ar._demo_uniform(seed, 7, i) AS u7) AS u,
           -- a foreign_share of the accounts (none by default) invoice in EUR, GBP or JPY;
           -- their amounts are about the USD ones at the demo rates below
           LATERAL (SELECT CASE WHEN ar._demo_uniform(seed, 8, i) >= foreign_share THEN 'USD'
                                ELSE (ARRAY['EUR', 'GBP', 'JPY'])[1 + floor(3 * ar._demo_uniform(seed, 9, i))::int] END AS currency) AS c0,
           LATERAL (SELECT c0.currency, CASE c0.currency WHEN 'EUR' THEN 0.9 WHEN 'GBP' THEN 0.8 WHEN 'JPY' THEN 150 ELSE 1 END AS factor) AS cur;

    INSERT INTO ar.customers (customer_id, name, segment, collector, credit_limit, payment_terms_days, currency, strategic_value)
    SELECT c.customer_id,
           (ARRAY['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell'])[1 + (c.k % 10)]
             || ' ' || (ARRAY['Industries', 'Logistics', 'Foods', 'Retail', 'Systems', 'Health', 'Energy'])[1 + (c.k / 10 % 7)]
             || ' #' || c.k,
           CASE WHEN c.per_month * c.avg_amount / c.factor * 12 > 500000 THEN 'enterprise'   -- by the USD size
                WHEN c.per_month * c.avg_amount / c.factor * 12 > 60000 THEN 'mid-market' ELSE 'smb' END,
           c.collector,
           round((c.per_month * c.avg_amount * (c.terms / 30.0 + 1) * (1.2 + c.u7))::numeric, -2)::numeric(18,2),
           c.terms, c.currency, c.strategic_value
      FROM _demo_cust c;

    -- Daily demo rates into USD (USD/JPY for the yen) over the 25 months up to as_of:
    -- a deterministic drift of a few percent around 1.10, 1.25 and 150.
    IF foreign_share > 0 THEN
        INSERT INTO ar.fx_rates (from_currency, to_currency, rate_date, rate)
        SELECT r.from_currency, r.to_currency, d::date,
               round(r.base * (1 + 0.04 * sin(r.phase + (d::date - as_of) / 45.0)::numeric
                                 + 0.01 * (ar._demo_uniform(seed, r.stream, d::date - as_of + 1000) - 0.5)::numeric), r.digits)
          FROM (VALUES ('EUR', 'USD', 1.10, 0.0, 61, 6), ('GBP', 'USD', 1.25, 1.0, 62, 6), ('USD', 'JPY', 150.0, 2.0, 63, 3))
                 AS r(from_currency, to_currency, base, phase, stream, digits),
               generate_series((as_of - 760)::timestamp, as_of::timestamp, interval '1 day') d;
    END IF;

    INSERT INTO ar.demo_profiles (customer_id, profile, slip_start)
    SELECT customer_id, profile,
           CASE profile WHEN 'slipping' THEN as_of - 120 WHEN 'defaulting' THEN as_of - 180 END
      FROM _demo_cust;

    -- Invoices over the 24 months before as_of, with their fate decided up front.
    CREATE TEMP TABLE _demo_inv ON COMMIT DROP AS
    WITH base AS (
        SELECT c.customer_id, c.profile, c.terms, c.k, j,
               c.k::bigint * 100000 + j AS idx,
               as_of - 729 + floor(ar._demo_uniform(seed, 10, c.k::bigint * 100000 + j) * 730)::int AS invoice_date,
               greatest(1.00, round(c.avg_amount * (0.3 + 1.4 * ar._demo_uniform(seed, 11, c.k::bigint * 100000 + j))::numeric, c.minor)) AS amount,
               c.currency, c.minor
          FROM _demo_cust c,
               generate_series(1, greatest(1, round(c.per_month * 24)::int)) AS j
    ), fate AS (
        SELECT b.*, b.invoice_date + b.terms AS due_date,
               ar._demo_uniform(seed, 12, idx) AS u_delay,
               ar._demo_uniform(seed, 13, idx) AS u_partial,
               ar._demo_uniform(seed, 14, idx) AS u_credit,
               ar._demo_uniform(seed, 15, idx) AS u_misc
          FROM base b
    ), delay AS (
        SELECT f.*,
               CASE
                 WHEN f.profile = 'prompt' THEN round(-3 + 6 * f.u_delay)::int
                 WHEN f.profile = 'early' THEN -round(5 + 20 * f.u_delay)::int
                 WHEN f.profile = 'steady_late' THEN round(10 + 20 * f.u_delay)::int
                 WHEN f.profile = 'chronic_late' THEN round(40 + 60 * f.u_delay)::int
                 WHEN f.profile = 'slipping' AND f.invoice_date < as_of - 120 THEN round(-2 + 5 * f.u_delay)::int
                 WHEN f.profile = 'slipping' THEN round(18 + 22 * f.u_delay)::int
                 WHEN f.profile = 'defaulting' AND f.invoice_date < as_of - 180 THEN round(5 + 20 * f.u_delay)::int
                 ELSE NULL            -- defaulting: never paid
               END AS days_beyond,
               CASE WHEN f.u_credit < 0.03 THEN round(f.amount * (0.05 + 0.15 * f.u_misc)::numeric, f.minor) ELSE 0 END AS credit,
               f.invoice_date + 5 + floor(10 * f.u_misc)::int AS credit_date
          FROM fate f
    )
    SELECT d.*,
           CASE WHEN d.credit > 0 AND d.credit_date <= as_of THEN d.credit ELSE 0 END AS credit_applied,
           CASE WHEN d.days_beyond IS NOT NULL THEN greatest(d.invoice_date, d.due_date + d.days_beyond) END AS pay_date
      FROM delay d;

    INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency)
    SELECT 'INV-' || lpad(k::text, 6, '0') || '-' || lpad(j::text, 4, '0'), customer_id, invoice_date, due_date, amount, currency
      FROM _demo_inv;
    GET DIAGNOSTICS n_invoices = ROW_COUNT;

    -- Credit memos (about 3% of invoices).
    INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind)
    SELECT 'INV-' || lpad(k::text, 6, '0') || '-' || lpad(j::text, 4, '0'), credit_date, credit_applied, 'credit_memo'
      FROM _demo_inv WHERE credit_applied > 0;

    -- Payments: one application, or two for about 8% of paid invoices (a partial
    -- payment 15 days before the rest). Only cash received by as_of exists.
    INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, reference)
    SELECT customer_id, invoice_id, payment_date, amount, reference
      FROM (
        SELECT i.customer_id, 'INV-' || lpad(i.k::text, 6, '0') || '-' || lpad(i.j::text, 4, '0') AS invoice_id,
               p.payment_date, p.amount, 'RMT-' || i.idx || '-' || p.part AS reference
          FROM _demo_inv i
          CROSS JOIN LATERAL (
              SELECT (i.amount - i.credit_applied) AS payable,
                     round((i.amount - i.credit_applied) * (0.3 + 0.4 * i.u_misc)::numeric, i.minor) AS first_part
          ) s
          CROSS JOIN LATERAL (VALUES
              (1, CASE WHEN i.u_partial < 0.08 THEN greatest(i.invoice_date, i.pay_date - 15) ELSE i.pay_date END,
                  CASE WHEN i.u_partial < 0.08 THEN s.first_part ELSE s.payable END),
              (2, CASE WHEN i.u_partial < 0.08 THEN i.pay_date END, s.payable - s.first_part)
          ) AS p(part, payment_date, amount)
         WHERE i.days_beyond IS NOT NULL AND p.payment_date IS NOT NULL AND p.payment_date <= as_of AND p.amount > 0
      ) x;

    -- Debit memos: late fees (2%) on chronic late payers' invoices still unpaid 30+ days past due.
    INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind)
    SELECT 'INV-' || lpad(k::text, 6, '0') || '-' || lpad(j::text, 4, '0'), due_date + 30, round(amount * 0.02, minor), 'debit_memo'
      FROM _demo_inv
     WHERE profile = 'chronic_late' AND due_date + 30 <= as_of AND pay_date > as_of AND u_misc < 0.3
       AND u_partial >= 0.08;  -- never on an invoice that got a partial payment

    -- Write-offs: half of the defaulting customers' invoices 150+ days past due.
    INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind)
    SELECT 'INV-' || lpad(k::text, 6, '0') || '-' || lpad(j::text, 4, '0'), due_date + 150, amount - credit_applied, 'write_off'
      FROM _demo_inv
     WHERE days_beyond IS NULL AND due_date + 150 <= as_of AND u_misc >= 0.5 AND amount > credit_applied;

    -- Unapplied cash on about 5% of accounts.
    INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, reference)
    SELECT customer_id, NULL, as_of - floor(60 * ar._demo_uniform(seed, 21, k))::int,
           greatest(1.00, round(avg_amount * 0.2, minor)), 'UNAPPLIED-' || k
      FROM _demo_cust WHERE ar._demo_uniform(seed, 20, k) < 0.05;

    -- Disputes on about 2% of invoices: most answered, many resolved, some stale.
    INSERT INTO ar.disputes (dispute_id, invoice_id, opened_at, first_response_at, resolved_at, amount, reason)
    SELECT 'D-' || idx, 'INV-' || lpad(k::text, 6, '0') || '-' || lpad(j::text, 4, '0'), opened,
           CASE WHEN u2 < 0.8 AND opened + make_interval(days => 1 + floor(u3 * 5)::int) <= as_of
                THEN opened + make_interval(days => 1 + floor(u3 * 5)::int) END,
           CASE WHEN u2 < 0.6 AND opened + make_interval(days => 6 + floor(u3 * 25)::int) <= as_of
                THEN opened + make_interval(days => 6 + floor(u3 * 25)::int) END,
           round(amount * (0.2 + 0.8 * u3)::numeric, minor),
           (ARRAY['pricing', 'quantity', 'quality', 'not received', 'duplicate'])[1 + floor(u2 * 5)::int]
      FROM (SELECT d.*, (d.invoice_date + 5 + floor(20 * ar._demo_uniform(seed, 31, d.idx))::int)::timestamptz AS opened,
                   ar._demo_uniform(seed, 32, d.idx) AS u2, ar._demo_uniform(seed, 33, d.idx) AS u3
              FROM _demo_inv d WHERE ar._demo_uniform(seed, 30, d.idx) < 0.02) x
     WHERE opened <= as_of;

    -- Promises to pay on about 15% of the invoices of late payers that went 10+ days past due.
    INSERT INTO ar.promises (promise_id, customer_id, invoice_id, made_on, promised_date, amount)
    SELECT 'P-' || idx, customer_id, 'INV-' || lpad(k::text, 6, '0') || '-' || lpad(j::text, 4, '0'),
           due_date + 10, due_date + 10 + 7 + floor(8 * ar._demo_uniform(seed, 41, idx))::int, amount - credit_applied
      FROM _demo_inv
     WHERE profile IN ('steady_late', 'chronic_late', 'slipping', 'defaulting')
       AND due_date + 10 <= as_of AND (pay_date IS NULL OR pay_date > due_date + 10)
       AND ar._demo_uniform(seed, 40, idx) < 0.15;

    -- Collection calls that produced those promises.
    INSERT INTO ar.activities (customer_id, invoice_id, happened_at, channel, action, outcome, collector)
    SELECT p.customer_id, p.invoice_id, p.made_on::timestamptz + interval '10 hours', 'phone', 'call', 'promise', c.collector
      FROM ar.promises p JOIN ar.customers c USING (customer_id);

    -- Order holds on 60% of chronic late and defaulting accounts; half released after 1-5 days.
    INSERT INTO ar.order_holds (hold_id, customer_id, placed_at, released_at, reason)
    SELECT 'H-' || k, customer_id, placed,
           CASE WHEN ar._demo_uniform(seed, 52, k) < 0.5
                 AND placed + make_interval(days => 1 + floor(5 * ar._demo_uniform(seed, 53, k))::int) <= as_of
                THEN placed + make_interval(days => 1 + floor(5 * ar._demo_uniform(seed, 53, k))::int) END,
           'past due over policy'
      FROM (SELECT c.*, (as_of - floor(90 * ar._demo_uniform(seed, 51, c.k))::int)::timestamptz AS placed
              FROM _demo_cust c
             WHERE c.profile IN ('chronic_late', 'defaulting') AND ar._demo_uniform(seed, 50, c.k) < 0.6) x;

    DROP TABLE _demo_inv;
    DROP TABLE _demo_cust;
    RETURN n_invoices;
END $$;
COMMENT ON FUNCTION ar.generate_demo(integer, bigint, date, boolean, numeric) IS 'Fill the ar tables with a deterministic synthetic portfolio (about 24 months of invoices, Net 15/30/45/60, Pareto-like sizes, six payment behaviours, partial payments, credit/debit memos, write-offs, unapplied cash, disputes, promises, order holds). foreign_share (default 0: USD only) of the accounts invoice in EUR, GBP or JPY, with a deterministic daily rate history in ar.fx_rates. Returns the number of invoices. Errors if the tables hold data unless replace => true (which deletes ALL rows).';
