-- Payment plans: creation, installment allocation, status (docs/collections.md).
CREATE OR REPLACE FUNCTION ar.create_payment_plan(customer_id text, amount numeric, installments integer, first_due date,
                                       every interval, created_on date DEFAULT current_date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    plan bigint;
    part numeric;
BEGIN
    IF customer_id IS NULL OR amount IS NULL OR installments IS NULL OR first_due IS NULL OR every IS NULL OR created_on IS NULL THEN
        RAISE EXCEPTION 'ar.create_payment_plan: no argument may be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF amount = 'NaN' OR amount <= 0 OR amount <> round(amount, 2) OR amount >= 1e16 THEN
        RAISE EXCEPTION 'ar.create_payment_plan: amount must be positive with at most 2 decimals, got %', amount
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF installments < 1 OR installments > 600 THEN
        RAISE EXCEPTION 'ar.create_payment_plan: installments must be between 1 and 600, got %', installments
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF trunc(amount / installments, 2) < 0.01 THEN
        RAISE EXCEPTION 'ar.create_payment_plan: % installments of % would be less than a cent each', installments, amount
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF every < interval '1 day' OR (date '2000-01-01' + every)::date <= date '2000-01-01' THEN
        RAISE EXCEPTION 'ar.create_payment_plan: every must be at least 1 day, got %', every
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT isfinite(first_due) OR NOT isfinite(created_on) OR first_due < created_on THEN
        RAISE EXCEPTION 'ar.create_payment_plan: first_due (%) must be a finite date on or after created_on (%)', first_due, created_on
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM ar.customers c WHERE c.customer_id = create_payment_plan.customer_id) THEN
        RAISE EXCEPTION 'ar.create_payment_plan: unknown customer %', customer_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT FROM ar.payment_plans p WHERE p.customer_id = create_payment_plan.customer_id AND p.status = 'active') THEN
        RAISE EXCEPTION 'ar.create_payment_plan: customer % already has an active payment plan', customer_id
              USING ERRCODE = 'unique_violation',
                    HINT = 'Cancel it first: UPDATE ar.payment_plans SET status = ''cancelled'' WHERE plan_id = ...';
    END IF;
    INSERT INTO ar.payment_plans (customer_id, created_on, amount, installments, first_due, every)
    VALUES (create_payment_plan.customer_id, create_payment_plan.created_on, create_payment_plan.amount,
            create_payment_plan.installments, create_payment_plan.first_due, create_payment_plan.every)
    RETURNING plan_id INTO plan;
    part := trunc(amount / installments, 2);
    INSERT INTO ar.payment_plan_installments (plan_id, installment_no, due_date, amount)
    SELECT plan, k, (first_due + (k - 1) * every)::date,
           CASE WHEN k = installments THEN amount - part * (installments - 1) ELSE part END
      FROM generate_series(1, installments) AS k;
    RETURN plan;
END $$;
COMMENT ON FUNCTION ar.create_payment_plan(text, numeric, integer, date, interval, date) IS 'Create a payment plan of amount in installments due first_due, first_due + every, ...; each installment is amount / installments rounded down to the cent, the last takes the remainder. created_on (default today) is when the plan starts counting cash. Returns the plan_id.';

-- Installment status on a date. Cash counted for a plan: the customer's payments dated
-- from created_on to as_of applied to invoices dated before created_on, or unapplied.
-- It pays the installments in order: installment k is covered on the first date the
-- cumulative cash reaches the cumulative amount of installments 1..k.
CREATE OR REPLACE FUNCTION ar.payment_plan_installments_at(as_of date)
RETURNS TABLE (plan_id bigint, customer_id text, installment_no integer, due_date date, amount numeric,
               paid_amount numeric, covered_on date, status text, days_late integer, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH inst AS (
        SELECT i.*, p.customer_id, p.created_on,
               sum(i.amount) OVER (PARTITION BY i.plan_id ORDER BY i.installment_no) AS cum_due
          FROM ar.payment_plan_installments i JOIN ar.payment_plans p ON p.plan_id = i.plan_id
         WHERE p.created_on <= as_of AND p.status = 'active'
    ), cash AS (            -- cumulative plan cash by date
        SELECT x.plan_id, x.payment_date, sum(x.amount) OVER (PARTITION BY x.plan_id ORDER BY x.payment_date) AS cum_cash
          FROM (SELECT p.plan_id, pay.payment_date, sum(pay.amount) AS amount
                  FROM ar.payment_plans p
                  JOIN ar.payments pay ON pay.customer_id = p.customer_id
                  LEFT JOIN ar.invoices i ON i.invoice_id = pay.invoice_id
                 WHERE p.status = 'active' AND pay.payment_date >= p.created_on AND pay.payment_date <= as_of
                   AND (pay.invoice_id IS NULL OR i.invoice_date < p.created_on)
                 GROUP BY p.plan_id, pay.payment_date) x
    ), covered AS (
        SELECT i.*,
               (SELECT min(c.payment_date) FROM cash c WHERE c.plan_id = i.plan_id AND c.cum_cash >= i.cum_due) AS covered_on,
               coalesce((SELECT max(c.cum_cash) FROM cash c WHERE c.plan_id = i.plan_id), 0) AS total_cash
          FROM inst i
    )
    SELECT c.plan_id, c.customer_id, c.installment_no, c.due_date, c.amount,
           least(c.amount, greatest(0.00, c.total_cash - (c.cum_due - c.amount))),
           c.covered_on,
           CASE WHEN c.covered_on <= c.due_date THEN 'paid'
                WHEN c.covered_on IS NOT NULL THEN 'paid_late'
                WHEN c.due_date < as_of THEN 'overdue'
                ELSE 'due' END,
           CASE WHEN c.covered_on > c.due_date THEN c.covered_on - c.due_date
                WHEN c.covered_on IS NULL AND c.due_date < as_of THEN as_of - c.due_date END,
           as_of
      FROM covered c
     WHERE ar.days_past_due(as_of, as_of) = 0;   -- rejects an infinite as_of (22008)
END;
COMMENT ON FUNCTION ar.payment_plan_installments_at(date) IS 'Each installment of the active payment plans on a date: paid_amount allocated from the plan''s cash in installment order, the date it was covered, status paid / paid_late / overdue / due, days late.';

-- Plan status: completed (every installment covered), defaulted (an installment over 30
-- days overdue), at_risk (an installment overdue, or two or more paid late), on_track.
CREATE OR REPLACE FUNCTION ar.payment_plans_at(as_of date)
RETURNS TABLE (plan_id bigint, customer_id text, customer_name text, collector text, amount numeric, paid_amount numeric,
               installments integer, installments_paid bigint, installments_overdue bigint, next_due_date date,
               status text, reason text, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT p.plan_id, p.customer_id, c.name, c.collector, p.amount, sum(i.paid_amount), p.installments,
           count(*) FILTER (WHERE i.status IN ('paid', 'paid_late')),
           count(*) FILTER (WHERE i.status = 'overdue'),
           min(i.due_date) FILTER (WHERE i.status IN ('overdue', 'due')),
           CASE WHEN bool_and(i.status IN ('paid', 'paid_late')) THEN 'completed'
                WHEN max(i.days_late) FILTER (WHERE i.status = 'overdue') > 30 THEN 'defaulted'
                WHEN count(*) FILTER (WHERE i.status = 'overdue') > 0 OR count(*) FILTER (WHERE i.status = 'paid_late') >= 2 THEN 'at_risk'
                ELSE 'on_track' END,
           concat_ws('; ',
               CASE WHEN count(*) FILTER (WHERE i.status = 'overdue') > 0
                    THEN format('%s installment(s) overdue, the oldest by %s days, %s missing',
                                count(*) FILTER (WHERE i.status = 'overdue'), max(i.days_late) FILTER (WHERE i.status = 'overdue'),
                                ar._money(sum(i.amount - i.paid_amount) FILTER (WHERE i.status = 'overdue'), c.currency)) END,
               CASE WHEN count(*) FILTER (WHERE i.status = 'paid_late') > 0
                    THEN format('%s installment(s) paid late', count(*) FILTER (WHERE i.status = 'paid_late')) END),
           payment_plans_at.as_of
      FROM ar.payment_plan_installments_at(payment_plans_at.as_of) i
      JOIN ar.payment_plans p ON p.plan_id = i.plan_id
      JOIN ar.customers c ON c.customer_id = p.customer_id
     GROUP BY p.plan_id, c.customer_id;
END;
COMMENT ON FUNCTION ar.payment_plans_at(date) IS 'Each active payment plan on a date: paid so far, installments paid and overdue, next due date, status (completed, on_track, at_risk = an installment overdue or two paid late, defaulted = an installment over 30 days overdue) and the reason.';

-- Stored by ar.refresh (a view over the function would read the tables as the
-- querying role: a BI role made by ar.grant_reader could not).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.payment_plan_status_mv AS SELECT * FROM ar.payment_plans_at((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS payment_plan_status_mv_key ON ar.payment_plan_status_mv (plan_id);
COMMENT ON MATERIALIZED VIEW ar.payment_plan_status_mv IS 'Storage of ar.payment_plan_status; query the plain view.';
CREATE OR REPLACE VIEW ar.payment_plan_status AS SELECT * FROM ar.payment_plan_status_mv;
COMMENT ON VIEW ar.payment_plan_status IS 'Active payment plans as of the last refresh with their status; plans at risk: status IN (''at_risk'', ''defaulted'').';
COMMENT ON COLUMN ar.payment_plan_status.plan_id IS 'Plan.';
COMMENT ON COLUMN ar.payment_plan_status.customer_id IS 'Account.';
COMMENT ON COLUMN ar.payment_plan_status.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.payment_plan_status.collector IS 'Collector of the account.';
COMMENT ON COLUMN ar.payment_plan_status.amount IS 'Plan amount.';
COMMENT ON COLUMN ar.payment_plan_status.paid_amount IS 'Cash allocated to its installments so far.';
COMMENT ON COLUMN ar.payment_plan_status.installments IS 'Number of installments.';
COMMENT ON COLUMN ar.payment_plan_status.installments_paid IS 'Installments covered (on time or late).';
COMMENT ON COLUMN ar.payment_plan_status.installments_overdue IS 'Installments past their due date and not covered.';
COMMENT ON COLUMN ar.payment_plan_status.next_due_date IS 'Due date of the first installment not covered.';
COMMENT ON COLUMN ar.payment_plan_status.status IS 'completed, on_track, at_risk or defaulted.';
COMMENT ON COLUMN ar.payment_plan_status.reason IS 'Why at risk or defaulted.';
COMMENT ON COLUMN ar.payment_plan_status.as_of IS 'As-of date.';

-- Stored by ar.refresh (a view over the function would read the tables as the
-- querying role: a BI role made by ar.grant_reader could not).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.payment_plan_installment_status_mv AS SELECT * FROM ar.payment_plan_installments_at((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS payment_plan_installment_status_mv_key ON ar.payment_plan_installment_status_mv (plan_id, installment_no);
COMMENT ON MATERIALIZED VIEW ar.payment_plan_installment_status_mv IS 'Storage of ar.payment_plan_installment_status; query the plain view.';
CREATE OR REPLACE VIEW ar.payment_plan_installment_status AS SELECT * FROM ar.payment_plan_installment_status_mv;
COMMENT ON VIEW ar.payment_plan_installment_status IS 'Installments of the active payment plans as of the last refresh, with the cash allocated and their status.';
COMMENT ON COLUMN ar.payment_plan_installment_status.plan_id IS 'Plan.';
COMMENT ON COLUMN ar.payment_plan_installment_status.customer_id IS 'Account.';
COMMENT ON COLUMN ar.payment_plan_installment_status.installment_no IS '1 = first.';
COMMENT ON COLUMN ar.payment_plan_installment_status.due_date IS 'Due date.';
COMMENT ON COLUMN ar.payment_plan_installment_status.amount IS 'Installment amount.';
COMMENT ON COLUMN ar.payment_plan_installment_status.paid_amount IS 'Plan cash allocated to it (in installment order).';
COMMENT ON COLUMN ar.payment_plan_installment_status.covered_on IS 'Date the cumulative plan cash covered it.';
COMMENT ON COLUMN ar.payment_plan_installment_status.status IS 'paid (covered by its due date), paid_late, overdue (past due, not covered) or due.';
COMMENT ON COLUMN ar.payment_plan_installment_status.days_late IS 'Days after the due date it was covered, or, overdue, days since the due date.';
COMMENT ON COLUMN ar.payment_plan_installment_status.as_of IS 'As-of date.';
