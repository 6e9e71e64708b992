-- Payment outlook: a discrete-time survival (hazard) model of when an open invoice gets
-- paid, learnt from the ledger (docs/collections.md, "Payment outlook"). Plain SQL
-- statistics, exact numeric, deterministic: a life table by behaviour band × week of age.
--
-- behaviour band: the customer's amount-weighted days beyond terms over the 12 months up
--   to the fit date (ar._payment_behaviour_at), cut at 0, 10, 25, 45, 75 days;
-- age week w: floor((date - due_date) / 7), from -13 (91 days before due) to 52 (a
--   year past due; older ages share week 52);
-- exposure(b, w) = open amount at the start of week w of the invoices of band b
--   (amount + debit memos - credit memos - write-offs - payments dated before it);
-- paid(b, w)     = cash applied to them during week w;
-- stalled: from the day one of a customer's invoices still open on the fit date reached
--   u + max(15, u / 2) days past due (u: the customer's usual days beyond terms), its
--   invoices' weeks of age are learnt in the band 'stalled' (and scored there);
-- raw hazard     = paid / exposure; hazard = (n · raw + k · prior) / (n + k): shrunk
--   by k = 20 invoices (n: the invoices at risk) towards a prior, so that a thin cell
--   borrows: the same week's hazard of all bands, or for 'stalled' the band's own
--   hazard over all its weeks (a stalled customer is not paid like the others).
-- Only what is dated on or before the fit date counts (payments reversed by then paid
-- nothing), and an invoice is observed only over the weeks of age it completed by then
-- (censored): nothing after as_of enters the fit. Amounts weigh in the reporting
-- currency at as_of's rates.

CREATE OR REPLACE FUNCTION ar._outlook_band(days_beyond_terms numeric) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN days_beyond_terms IS NULL THEN 'no payments'
                WHEN days_beyond_terms <= 0 THEN 'on time or early'
                WHEN days_beyond_terms <= 10 THEN '1-10 days late'
                WHEN days_beyond_terms <= 25 THEN '11-25 days late'
                WHEN days_beyond_terms <= 45 THEN '26-45 days late'
                WHEN days_beyond_terms <= 75 THEN '46-75 days late'
                ELSE 'over 75 days late' END;
END;
COMMENT ON FUNCTION ar._outlook_band(numeric) IS 'Internal: the behaviour band of the payment outlook for a customer''s weighted days beyond terms (NULL: no payments).';

-- The week of age of a date for an invoice due on due_date, within the model's range.
CREATE OR REPLACE FUNCTION ar._outlook_week(d date, due_date date) RETURNS integer
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT greatest(-13, least(52, floor((d - due_date) / 7.0)::integer));
END;
COMMENT ON FUNCTION ar._outlook_week(date, date) IS 'Internal: floor((d - due_date) / 7) within -13 .. 52, the week of age of the payment outlook.';

-- The days past due at which an open invoice shows its customer stalled: u + max(15, u / 2)
-- for a customer who usually pays u = max(0, weighted days beyond terms) days late.
CREATE OR REPLACE FUNCTION ar._outlook_stall_age(days_beyond_terms numeric) RETURNS numeric
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT greatest(0, coalesce(days_beyond_terms, 0)) + greatest(15, greatest(0, coalesce(days_beyond_terms, 0)) / 2);
END;
COMMENT ON FUNCTION ar._outlook_stall_age(numeric) IS 'Internal: u + max(15, u / 2), u = max(0, weighted days beyond terms): the days past due at which an open invoice shows its customer stalled.';

-- Each customer's band as of a date.
CREATE OR REPLACE FUNCTION ar._outlook_bands_at(as_of date)
RETURNS TABLE (customer_id text, band text, days_beyond_terms numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    -- the refreshed date: the figure customer health stored; else computed (the planner
    -- evaluates the two conditions once and runs one branch)
    SELECT h.customer_id, ar._outlook_band(h.avg_days_beyond_terms_weighted_12m), h.avg_days_beyond_terms_weighted_12m
      FROM ar.customer_health_mv h WHERE _outlook_bands_at.as_of = (SELECT ar.as_of())
    UNION ALL
    SELECT c.customer_id, ar._outlook_band(ar.avg_days_beyond_terms_weighted(b.s12)), ar.avg_days_beyond_terms_weighted(b.s12)
      FROM ar.customers c LEFT JOIN ar._payment_behaviour_at(as_of) b ON b.customer_id = c.customer_id
     WHERE _outlook_bands_at.as_of IS DISTINCT FROM (SELECT ar.as_of());
END;
COMMENT ON FUNCTION ar._outlook_bands_at(date) IS 'Internal: each customer''s behaviour band of the payment outlook as of a date (weighted days beyond terms over 12 months; from ar.customer_health_mv when as_of is the refreshed date).';

CREATE OR REPLACE FUNCTION ar.payment_model_at(as_of date)
RETURNS TABLE (band text, age_week integer, invoices_at_risk bigint, exposure numeric, paid numeric,
               raw_hazard numeric, prior_hazard numeric, hazard numeric, fitted_as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH bands AS MATERIALIZED (
        -- the customers the model learns from: all of them up to 10,000, else a fixed
        -- sample of about 10,000 (by a hash of the customer id: the same every time)
        SELECT b.customer_id, b.band, ar._outlook_stall_age(b.days_beyond_terms) AS stall_age
          FROM ar._outlook_bands_at(as_of) b
         WHERE (SELECT count(*) FROM ar.customers) <= 10000
            OR ('x' || substr(md5(b.customer_id), 1, 7))::bit(28)::integer < 268435456::numeric * 10000 / (SELECT count(*) FROM ar.customers)
    ), inv0 AS MATERIALIZED (
        -- invoices of the two years up to as_of: the week of age they entered (eb) and
        -- the last one they completed by as_of (cb)
        SELECT i.invoice_id, i.customer_id, i.currency, i.amount, i.due_date, bd.band, bd.stall_age, x.eb,
               least(52, floor((as_of - i.due_date + 1) / 7.0)::integer - 1) AS cb
          FROM ar.invoices i
          JOIN bands bd ON bd.customer_id = i.customer_id
         CROSS JOIN LATERAL (SELECT greatest(-13, least(52, floor((i.invoice_date - i.due_date) / 7.0)::integer)) AS eb) x
         WHERE i.invoice_date <= as_of AND i.invoice_date > as_of - 730
           AND least(52, floor((as_of - i.due_date + 1) / 7.0)::integer - 1) >= x.eb
           AND ar.days_past_due(as_of, as_of) = 0     -- rejects an infinite as_of (22008)
    ), ev AS (
        SELECT p.invoice_id, p.payment_date AS d, -p.amount AS delta, p.amount AS cash
          FROM ar.payments p
         WHERE p.invoice_id IS NOT NULL AND p.payment_date <= as_of AND (p.reversed_on IS NULL OR p.reversed_on > as_of)
        UNION ALL
        SELECT a.invoice_id, a.adjustment_date, CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END, 0
          FROM ar.adjustments a
         WHERE a.adjustment_date <= as_of
    ), evb AS MATERIALIZED (
        -- each payment and adjustment in the week of age it fell in
        SELECT v.invoice_id, greatest(v.eb, least(52, floor((ev.d - v.due_date) / 7.0)::integer)) AS b, ev.delta, ev.cash
          FROM ev JOIN inv0 v ON v.invoice_id = ev.invoice_id
    ), per_invoice AS (
        -- the open amount on as_of, and the week of the last change
        SELECT v.invoice_id, v.amount + coalesce(sum(e.delta), 0) AS open_amount, max(e.b) AS last_week
          FROM inv0 v LEFT JOIN evb e ON e.invoice_id = v.invoice_id
         GROUP BY v.invoice_id, v.amount
    ), stall AS MATERIALIZED (
        -- a customer is stalled from the first day one of its invoices still open on
        -- as_of reached its stall age (ar._outlook_stall_age: max(15, u / 2) days later
        -- than the u days beyond terms the customer usually pays)
        SELECT v.customer_id, min(v.due_date + ceil(v.stall_age)::integer) AS since
          FROM inv0 v JOIN per_invoice pi ON pi.invoice_id = v.invoice_id
         WHERE pi.open_amount > 0 AND as_of - v.due_date >= v.stall_age
         GROUP BY v.customer_id
    ), inv AS MATERIALIZED (
        -- ws: the first week of age spent stalled (NULL: never); close_week: the week the
        -- open amount reached zero (or less), if it did by as_of
        SELECT v.invoice_id, v.currency, v.amount, v.band, v.eb, v.cb,
               ceil((st.since - v.due_date) / 7.0)::integer AS ws,
               CASE WHEN pi.open_amount <= 0 THEN pi.last_week END AS close_week
          FROM inv0 v JOIN per_invoice pi ON pi.invoice_id = v.invoice_id
          LEFT JOIN stall st ON st.customer_id = v.customer_id
    ), ranges AS (
        -- what holds over a range of weeks of age [lo, hi]: the amount at entry, an
        -- invoice at risk up to its closing week, a change of the open amount from the
        -- week after it
        SELECT inv.band, inv.ws, inv.currency, inv.eb AS lo, inv.cb AS hi, inv.amount AS v, 0 AS n FROM inv
        UNION ALL
        SELECT inv.band, inv.ws, inv.currency, inv.eb, least(coalesce(inv.close_week, 52), inv.cb), 0, 1 FROM inv
        UNION ALL
        SELECT inv.band, inv.ws, inv.currency, e.b + 1, inv.cb, e.delta, 0 FROM evb e JOIN inv ON inv.invoice_id = e.invoice_id WHERE e.b < inv.cb
    ), deltas AS (
        -- difference arrays over the weeks of age: +v where a range starts, -v after it
        -- ends; the weeks before ws in the customer's band, from ws on in 'stalled'
        SELECT CASE WHEN x.stalled THEN 'stalled' ELSE r.band END AS band, r.currency, x.w,
               x.sign * r.v AS d_exposure, x.sign * r.n AS d_n, 0::numeric AS cash
          FROM ranges r
         CROSS JOIN LATERAL (VALUES
             (false, r.lo, 1), (false, least(r.hi, coalesce(r.ws - 1, r.hi)) + 1, -1),
             (true, greatest(r.lo, r.ws), 1), (true, r.hi + 1, -1)) AS x(stalled, w, sign)
         WHERE x.w <= 52
           AND CASE WHEN x.stalled THEN r.ws IS NOT NULL AND greatest(r.lo, r.ws) <= r.hi
                    ELSE r.lo <= least(r.hi, coalesce(r.ws - 1, r.hi)) END
        UNION ALL
        SELECT CASE WHEN e.b >= inv.ws THEN 'stalled' ELSE inv.band END, inv.currency, e.b, 0, 0, e.cash
          FROM evb e JOIN inv ON inv.invoice_id = e.invoice_id WHERE e.b <= inv.cb AND e.cash <> 0
    ), cells AS (
        SELECT x.band, x.w, sum(x.d_n) AS d_n,
               sum(ar.convert(x.d_exposure, x.currency, ar.reporting_currency(), as_of)) AS d_exposure,
               sum(ar.convert(x.cash, x.currency, ar.reporting_currency(), as_of)) AS cash
          FROM (SELECT d.band, d.currency, d.w, sum(d.d_exposure) AS d_exposure, sum(d.d_n) AS d_n, sum(d.cash) AS cash
                  FROM deltas d GROUP BY d.band, d.currency, d.w) x
         GROUP BY x.band, x.w
    ), grid AS (
        -- every band × week, so that the running sums see each week
        SELECT b.band, w
          FROM (VALUES ('no payments'), ('on time or early'), ('1-10 days late'), ('11-25 days late'),
                       ('26-45 days late'), ('46-75 days late'), ('over 75 days late'), ('stalled')) AS b(band),
               generate_series(-13, 52) AS w
    ), run AS (
        SELECT g.band, g.w,
               sum(coalesce(c.d_n, 0)) OVER (PARTITION BY g.band ORDER BY g.w) AS n,
               sum(coalesce(c.d_exposure, 0)) OVER (PARTITION BY g.band ORDER BY g.w) AS exposure,
               coalesce(c.cash, 0) AS paid
          FROM grid g LEFT JOIN cells c ON c.band = g.band AND c.w = g.w
    ), pooled AS (
        -- the prior of a cell: the same week's hazard of all bands; for 'stalled', the
        -- band's own hazard over all its weeks of age (if it has any exposure)
        SELECT r.w, least(1, greatest(0, sum(r.paid) / sum(r.exposure))) AS h
          FROM run r WHERE r.exposure > 0 GROUP BY r.w
    ), band_level AS (
        SELECT r.band, least(1, greatest(0, sum(r.paid) / sum(r.exposure))) AS h
          FROM run r WHERE r.exposure > 0 GROUP BY r.band
    ), prior AS (
        SELECT r.band, r.w, CASE WHEN r.band = 'stalled' THEN coalesce(b.h, p.h, 0) ELSE coalesce(p.h, 0) END AS h
          FROM run r LEFT JOIN band_level b ON b.band = r.band LEFT JOIN pooled p ON p.w = r.w
    )
    SELECT r.band, r.w, r.n::bigint, r.exposure, r.paid,
           CASE WHEN r.exposure > 0 THEN round(least(1, greatest(0, r.paid / r.exposure)), 6) END,
           round(pr.h, 6),
           round((CASE WHEN r.exposure > 0 THEN greatest(r.n, 0) * least(1, greatest(0, r.paid / r.exposure)) ELSE 0 END
                  + 20 * pr.h) / (CASE WHEN r.exposure > 0 THEN greatest(r.n, 0) ELSE 0 END + 20), 6),
           as_of
      FROM run r JOIN prior pr ON pr.band = r.band AND pr.w = r.w
     WHERE as_of IS NOT NULL
     ORDER BY 1, 2;
END;
COMMENT ON FUNCTION ar.payment_model_at(date) IS 'The payment outlook model fitted on the ledger up to a date: per behaviour band and week of age (-13 .. 52 weeks from the due date), the invoices at risk, their open amount at the start of the week (exposure, reporting currency), the cash paid on them that week, the raw hazard, the prior it is shrunk towards and the hazard used (docs/collections.md).';

-- The hazards the outlook of a date uses: the model the refresh stored (ar.payment_model)
-- when it was fitted in the 6 days up to that date, else the model fitted on that date.
CREATE OR REPLACE FUNCTION ar._payment_hazards(as_of date)
RETURNS TABLE (band text, age_week integer, hazard numeric, invoices_at_risk bigint)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT m.band, m.age_week, m.hazard, m.invoices_at_risk
      FROM ar.payment_model m
     WHERE m.fitted_as_of = (SELECT max(f.fitted_as_of) FROM ar.payment_model_fit f WHERE f.fitted_as_of BETWEEN as_of - 6 AND as_of)
    UNION ALL
    SELECT m.band, m.age_week, m.hazard, m.invoices_at_risk
      FROM ar.payment_model_at(as_of) m
     WHERE NOT EXISTS (SELECT FROM ar.payment_model_fit f WHERE f.fitted_as_of BETWEEN as_of - 6 AND as_of);
END;
COMMENT ON FUNCTION ar._payment_hazards(date) IS 'Internal: the hazards of the payment outlook of a date: the stored fit of the 6 days up to it (ar.payment_model), else ar.payment_model_at(as_of).';

-- Each invoice open on a date (positive open amount) with its customer's behaviour band,
-- 'stalled' when one of the customer's open invoices has reached its stall age.
CREATE OR REPLACE FUNCTION ar._outlook_open_at(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, currency text, segment text, due_date date, open_amount numeric,
               days_past_due integer, band text, days_beyond_terms numeric, age integer)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH items AS (
        SELECT o.invoice_id, o.customer_id, o.currency, c.segment, o.due_date, o.open_amount, o.days_past_due,
               b.band, b.days_beyond_terms
          FROM ar._open_items_for(as_of) o
          JOIN ar.customers c ON c.customer_id = o.customer_id
          JOIN ar._outlook_bands_at(as_of) b ON b.customer_id = o.customer_id
         WHERE o.open_amount > 0
    )
    SELECT x.invoice_id, x.customer_id, x.currency, x.segment, x.due_date, x.open_amount, x.days_past_due,
           -- (the stall age is the customer's: an item reached it iff the oldest did; the
           -- largest days past due of the customer, an integer, not a numeric per item)
           CASE WHEN max(x.days_past_due) OVER (PARTITION BY x.customer_id) >= ar._outlook_stall_age(x.days_beyond_terms)
                THEN 'stalled' ELSE x.band END,
           x.days_beyond_terms,
           greatest(-455, least(367, x.days_past_due))   -- beyond these every week of the curve is -13 or 52
      FROM items x;
END;
COMMENT ON FUNCTION ar._outlook_open_at(date) IS 'Internal: each invoice open on a date with its customer''s behaviour band of the payment outlook (stalled when an open invoice of the customer reached its stall age) and its age for the curves.';

-- Survival curves: for each (band, age) asked, surv[k + 1] = the share of the open
-- amount still unpaid k weeks later (k = 0 .. 52), surv[k + 1] = surv[k] · (1 -
-- hazard(band, week of age in the middle of week k)); with the hazard of the week of age
-- the invoice is in now and the invoices it was learnt from.
CREATE OR REPLACE FUNCTION ar._outlook_curves(as_of date, bands text[], ages integer[])
RETURNS TABLE (band text, age integer, age_week integer, week_hazard numeric, invoices_seen bigint, surv numeric[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH RECURSIVE model AS (
        SELECT m.band, m.age_week, m.hazard, m.invoices_at_risk FROM ar._payment_hazards(as_of) m
    ), keys AS (
        SELECT DISTINCT k.band, k.age FROM unnest(bands, ages) AS k(band, age)
    ), s (band, age, k, surv) AS (
        SELECT keys.band, keys.age, 0, 1::numeric FROM keys
        UNION ALL
        SELECT s.band, s.age, s.k + 1, round(s.surv * (1 - m.hazard), 10)
          FROM s JOIN model m ON m.band = s.band
                             AND m.age_week = greatest(-13, least(52, floor((s.age + 7 * (s.k + 1) - 3) / 7.0)::integer))
         WHERE s.k < 52
    ), curves AS (
        SELECT s.band, s.age, array_agg(s.surv ORDER BY s.k) AS surv FROM s GROUP BY s.band, s.age
    )
    SELECT cv.band, cv.age, m.age_week, m.hazard, m.invoices_at_risk, cv.surv
      FROM curves cv
      JOIN model m ON m.band = cv.band AND m.age_week = greatest(-13, least(52, floor(cv.age / 7.0)::integer));
END;
COMMENT ON FUNCTION ar._outlook_curves(date, text[], integer[]) IS 'Internal: the survival curves (share still unpaid after 0 .. 52 weeks) of the payment outlook of a date for pairs of band and age in days past due.';

-- Per open invoice, with its curve (the outlook and the backtests read it).
CREATE OR REPLACE FUNCTION ar._outlook_items_at(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, currency text, segment text, due_date date, open_amount numeric,
               days_past_due integer, band text, days_beyond_terms numeric, age_week integer,
               week_hazard numeric, invoices_seen bigint, surv numeric[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH o AS (SELECT * FROM ar._outlook_open_at(as_of))
    SELECT o.invoice_id, o.customer_id, o.currency, o.segment, o.due_date, o.open_amount, o.days_past_due, o.band,
           o.days_beyond_terms, c.age_week, c.week_hazard, c.invoices_seen, c.surv
      FROM o JOIN ar._outlook_curves(as_of, (SELECT array_agg(o.band) FROM o), (SELECT array_agg(o.age) FROM o)) c
             ON c.band = o.band AND c.age = o.age;
END;
COMMENT ON FUNCTION ar._outlook_items_at(date) IS 'Internal: each invoice open on a date with its behaviour band and its survival curve under the payment outlook of that date.';

-- The open invoices summed per segment, currency, band and age, with their curve (the
-- forecast views read it: a curve per cell, not per invoice).
CREATE OR REPLACE FUNCTION ar._outlook_cells_at(as_of date)
RETURNS TABLE (segment text, currency text, band text, age integer, open_amount numeric, invoices bigint, surv numeric[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH cells AS (
        SELECT o.segment, o.currency, o.band, o.age, sum(o.open_amount) AS open_amount, count(*) AS invoices
          FROM ar._outlook_open_at(as_of) o GROUP BY o.segment, o.currency, o.band, o.age
    )
    SELECT x.segment, x.currency, x.band, x.age, x.open_amount, x.invoices, c.surv
      FROM cells x JOIN ar._outlook_curves(as_of, (SELECT array_agg(x.band) FROM cells x), (SELECT array_agg(x.age) FROM cells x)) c
             ON c.band = x.band AND c.age = x.age;
END;
COMMENT ON FUNCTION ar._outlook_cells_at(date) IS 'Internal: the invoices open on a date summed per segment, currency, band and age, with the survival curve of the payment outlook of that date.';

-- The cells of the refresh's date are computed once per refresh and stored
-- (ar.outlook_cells_data): the weekly forecast, its detail and the expected write-off
-- read them (stored), instead of computing them three times; for any other date (and
-- the public functions) they are computed (NOT stored).
CREATE OR REPLACE FUNCTION ar._store_outlook_cells(as_of date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM ar.outlook_cells_data;   -- (not TRUNCATE: readers keep the rows until commit)
    INSERT INTO ar.outlook_cells_data
    SELECT o.segment, o.currency, o.band, o.age, o.open_amount, o.invoices, o.surv FROM ar._outlook_cells_at(_store_outlook_cells.as_of) o;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._store_outlook_cells(date) IS 'Internal (ar.refresh): store ar._outlook_cells_at(as_of) in ar.outlook_cells_data, read by the forecast views; returns the cells stored.';

CREATE OR REPLACE FUNCTION ar._outlook_cells_of(as_of date, stored boolean)
RETURNS TABLE (segment text, currency text, band text, age integer, open_amount numeric, invoices bigint, surv numeric[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT c.segment, c.currency, c.band, c.age, c.open_amount, c.invoices, c.surv FROM ar.outlook_cells_data c WHERE stored
    UNION ALL
    SELECT o.segment, o.currency, o.band, o.age, o.open_amount, o.invoices, o.surv FROM ar._outlook_cells_at(as_of) o WHERE NOT stored;
END;
COMMENT ON FUNCTION ar._outlook_cells_of(date, boolean) IS 'Internal: ar._outlook_cells_at(as_of), or (stored) the cells the refresh stored for its date, which must be as_of.';

-- The share of a survival curve paid within a number of days (linear between week ends).
CREATE OR REPLACE FUNCTION ar._outlook_paid_within(surv numeric[], days integer) RETURNS numeric
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT round(1 - (surv[days / 7 + 1] + (days % 7) / 7.0 * (surv[days / 7 + 2] - surv[days / 7 + 1])), 4);
END;
COMMENT ON FUNCTION ar._outlook_paid_within(numeric[], integer) IS 'Internal: 1 - the survival after days (0 .. 363), linear between the week ends of the curve.';

-- The median of a curve: the day (after as_of) by which half of the open amount is paid,
-- linear within the week; NULL when that is not within 52 weeks.
CREATE OR REPLACE FUNCTION ar._outlook_median_days(surv numeric[]) RETURNS integer
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT min(7 * (k - 1) + ceil(7 * (surv[k] - 0.5) / nullif(surv[k] - surv[k + 1], 0))::integer)
      FROM generate_series(1, 52) AS k
     WHERE surv[k] > 0.5 AND surv[k + 1] <= 0.5;
END;
COMMENT ON FUNCTION ar._outlook_median_days(numeric[]) IS 'Internal: days after as_of by which a survival curve falls to one half (NULL: not within 52 weeks, or already paid: never above one half).';

CREATE OR REPLACE FUNCTION ar.invoice_payment_outlook(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, currency text, open_amount numeric, days_past_due integer,
               band text, p_paid_30d numeric, p_paid_60d numeric, p_paid_90d numeric, expected_pay_date date,
               p_unpaid_1y numeric, reasons text[], as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT o.invoice_id, o.customer_id, o.currency, o.open_amount, o.days_past_due, o.band,
           ar._outlook_paid_within(o.surv, 30), ar._outlook_paid_within(o.surv, 60), ar._outlook_paid_within(o.surv, 90),
           invoice_payment_outlook.as_of + ar._outlook_median_days(o.surv),
           round(o.surv[53], 4),
           array_remove(ARRAY[
               CASE WHEN o.band = 'no payments' THEN 'no payment from this customer in the 12 months'
                    ELSE format('the customer pays %s: %s days beyond terms (amount-weighted, 12 months)', o.band, round(o.days_beyond_terms, 1)) END,
               format('%s: of the invoices of such customers at that age, %s%% of the open amount was paid within a week (%s invoices seen)',
                      CASE WHEN o.days_past_due > 0 THEN o.days_past_due || ' days past due'
                           WHEN o.days_past_due = 0 THEN 'due today' ELSE 'due in ' || -o.days_past_due || ' days' END,
                      round(100 * o.week_hazard, 1), o.invoices_seen),
               CASE WHEN o.days_beyond_terms IS NOT NULL AND o.days_past_due - o.days_beyond_terms >= 15
                    THEN format('%s days later than this customer usually pays', round(o.days_past_due - o.days_beyond_terms)) END
           ], NULL),
           invoice_payment_outlook.as_of
      FROM ar._outlook_items_at(invoice_payment_outlook.as_of) o;
END;
COMMENT ON FUNCTION ar.invoice_payment_outlook(date) IS 'Per invoice open on a date: the probability (share of the open amount) paid within 30, 60 and 90 days and left unpaid after a year, the expected pay date (the median: by when half is paid; NULL if not within a year), and the reasons, under the payment model fitted on the ledger up to that date (ar.payment_model_at; docs/collections.md).';

-- The refresh's weekly refit: when no stored fit is of the 6 days up to as_of in the
-- reporting currency (a week has passed, the as-of date moved back, or the reporting
-- currency changed), replace the stored fits by four: of as_of (the model the forecast
-- uses), of as_of - 91 and as_of - 182 (the backtests that calibrate today's band; the
-- first is also the accuracy report's) and of as_of - 273 (with as_of - 182, the
-- backtests that calibrate that report's band). Returns the number of model rows stored
-- (0: the stored fit was current).
CREATE OR REPLACE FUNCTION ar._store_payment_model(as_of date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d date;
    t0 timestamptz;
    lo numeric;
    hi numeric;
    n_weeks integer;
    n bigint := 0;
    k bigint;
    bt date;
BEGIN
    IF EXISTS (SELECT FROM ar.payment_model_fit f
                WHERE f.fitted_as_of BETWEEN _store_payment_model.as_of - 6 AND _store_payment_model.as_of
                  AND f.currency = ar.reporting_currency() AND f.calibration_weeks IS NOT NULL) THEN
        RETURN 0;
    END IF;
    DELETE FROM ar.payment_model_fit;   -- and their model rows (ON DELETE CASCADE)
    -- the backtests' weeks, each computed once: the backtest of as_of - 182 calibrates both
    -- bands (it reads the fits stored before it, the same for both)
    CREATE TEMP TABLE _payment_model_backtests (forecast_as_of date, forecast numeric, actual numeric) ON COMMIT DROP;
    FOREACH d IN ARRAY ARRAY[_store_payment_model.as_of - 273, _store_payment_model.as_of - 182, _store_payment_model.as_of - 91, _store_payment_model.as_of] LOOP
        t0 := clock_timestamp();
        lo := NULL; hi := NULL; n_weeks := NULL;
        IF d >= _store_payment_model.as_of - 91 THEN
            -- the band from the backtests of 91 and 182 days before (their fits are stored
            -- by now); a rate missing on those dates leaves the band empty (a WARNING names it)
            -- (as ar._cash_forecast_calibration_at(d) computes it)
            BEGIN
                FOREACH bt IN ARRAY ARRAY[d - 91, d - 182] LOOP
                    IF NOT EXISTS (SELECT FROM _payment_model_backtests b WHERE b.forecast_as_of = bt) THEN
                        INSERT INTO _payment_model_backtests SELECT bt, b.forecast, b.actual FROM ar._outlook_backtest_weeks(bt, 13) b;
                    END IF;
                END LOOP;
                SELECT c.low_ratio, c.high_ratio, c.calibration_weeks INTO lo, hi, n_weeks
                  FROM (SELECT array_agg(b.forecast) AS forecast, array_agg(b.actual) AS actual FROM _payment_model_backtests b
                         WHERE b.forecast_as_of IN (d - 91, d - 182)) w,
                       ar._cash_forecast_calibration_of(w.forecast, w.actual) c;
            EXCEPTION WHEN no_data_found THEN
                RAISE WARNING 'ar.refresh: the cash forecast band of % is left empty: %', d, SQLERRM;
                n_weeks := 0;
            END;
        END IF;
        CREATE TEMP TABLE _payment_model ON COMMIT DROP AS SELECT * FROM ar.payment_model_at(d);
        INSERT INTO ar.payment_model_fit (fitted_as_of, currency, low_ratio, high_ratio, calibration_weeks, fit_ms)
        VALUES (d, ar.reporting_currency(), lo, hi, n_weeks, round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1));
        INSERT INTO ar.payment_model (fitted_as_of, band, age_week, invoices_at_risk, exposure, paid, raw_hazard, prior_hazard, hazard)
        SELECT m.fitted_as_of, m.band, m.age_week, m.invoices_at_risk, m.exposure, m.paid, m.raw_hazard, m.prior_hazard, m.hazard
          FROM _payment_model m;
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
        DROP TABLE _payment_model;
    END LOOP;
    DROP TABLE _payment_model_backtests;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._store_payment_model(date) IS 'Internal: unless the stored fit is of the 6 days up to as_of in the reporting currency, refit the payment outlook model on as_of, as_of - 91, as_of - 182 and as_of - 273 and calibrate the bands of the first two; returns the model rows stored (0: kept).';
