-- The part of an account's worklist row that does not move with the date, as of a date:
-- its past-due open items (due before the date, an open amount left) with the part of
-- them in dispute, in the customer's currency (another invoice currency: at the date's
-- rate), and their due dates (the ages are the worklist's, of its own date). Of the given
-- customers (NULL: all). The past-due amount per customer is defined here: the order hold
-- recommendations read it too (ar._worklist_accounts_for).
CREATE OR REPLACE FUNCTION ar._worklist_account_rows(as_of date, customers text[])
RETURNS TABLE (customer_id text, past_due_amount numeric, disputed_amount numeric, oldest_due_date date,
               oldest_undisputed_due_date date, past_due_invoices bigint, invoices text[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH open_disputes AS (      -- disputes open on as_of, per invoice; amount NULL = the whole invoice
        SELECT d.invoice_id, bool_or(d.amount IS NULL) AS whole, sum(d.amount) AS amount
          FROM ar.disputes d
         WHERE d.opened_at::date <= _worklist_account_rows.as_of
           AND (d.resolved_at IS NULL OR d.resolved_at::date > _worklist_account_rows.as_of)
         GROUP BY d.invoice_id
    ), items AS (
        SELECT o.customer_id, o.invoice_id, x.open_amount, o.due_date,
               CASE WHEN od.whole THEN x.open_amount ELSE least(x.open_amount, x.disputed) END AS disputed
          FROM ar._open_items_for(_worklist_account_rows.as_of) o LEFT JOIN open_disputes od ON od.invoice_id = o.invoice_id
          JOIN ar.customers c ON c.customer_id = o.customer_id
          CROSS JOIN LATERAL (
              SELECT CASE WHEN o.currency = c.currency THEN o.open_amount
                          ELSE ar.convert(o.open_amount, o.currency, c.currency, _worklist_account_rows.as_of) END AS open_amount,
                     CASE WHEN o.currency = c.currency THEN coalesce(od.amount, 0)
                          ELSE ar.convert(coalesce(od.amount, 0), o.currency, c.currency, _worklist_account_rows.as_of) END AS disputed) x
         WHERE o.days_past_due > 0 AND o.open_amount > 0
           AND (customers IS NULL OR o.customer_id = ANY (customers))
    )
    SELECT i.customer_id, sum(i.open_amount), sum(i.disputed), min(i.due_date),
           min(i.due_date) FILTER (WHERE i.open_amount > i.disputed), count(*),
           array_agg(i.invoice_id ORDER BY i.due_date, i.invoice_id)
      FROM items i GROUP BY i.customer_id;
END;
COMMENT ON FUNCTION ar._worklist_account_rows(date, text[]) IS 'Internal: per customer (of customers; NULL: all) the past-due open items as of a date (ar._open_items_for): amount and disputed part in the customer''s currency, oldest (undisputed) due date, count and the invoices oldest first; what ar.worklist_accounts_data keeps.';

-- The past-due accounts of a date: the stored ones when the date is the refreshed one,
-- else computed. The planner evaluates the two conditions once and runs one branch.
CREATE OR REPLACE FUNCTION ar._worklist_accounts_for(as_of date)
RETURNS TABLE (customer_id text, past_due_amount numeric, disputed_amount numeric, oldest_due_date date,
               oldest_undisputed_due_date date, past_due_invoices bigint, invoices text[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT a.customer_id, a.past_due_amount, a.disputed_amount, a.oldest_due_date, a.oldest_undisputed_due_date,
           a.past_due_invoices, a.invoices
      FROM ar.worklist_accounts_data a WHERE as_of = (SELECT ar.as_of())
    UNION ALL
    SELECT r.customer_id, r.past_due_amount, r.disputed_amount, r.oldest_due_date, r.oldest_undisputed_due_date,
           r.past_due_invoices, r.invoices
      FROM ar._worklist_account_rows(as_of, NULL) r WHERE as_of IS DISTINCT FROM (SELECT ar.as_of());
END;
COMMENT ON FUNCTION ar._worklist_accounts_for(date) IS 'Internal: ar._worklist_account_rows(as_of, NULL), read from ar.worklist_accounts_data when as_of is the refreshed date.';

-- The collections worklist as of ar.as_of(): one row per customer with past-due
-- invoices. status: due (act today: rank 1 first), scheduled (touched within the
-- cadence, or not yet at the first step), held (the reason is shown).
-- The accounts' past-due items are kept with the health rows (ar.worklist_accounts_data,
-- above): only the day's ages, ladder steps and ranks are computed here (0.17.0).
CREATE OR REPLACE VIEW ar._collections_worklist_rows AS
WITH cfg AS MATERIALIZED (SELECT ar.as_of() AS as_of),
accounts AS (           -- the past-due accounts kept with the health rows, with the day's ages
    SELECT a.customer_id, a.past_due_amount, a.disputed_amount,
           cfg.as_of - a.oldest_due_date AS oldest_days_past_due,
           cfg.as_of - a.oldest_undisputed_due_date AS oldest_undisputed_days,
           a.past_due_invoices, a.invoices
      FROM ar.worklist_accounts_data a, cfg
), promises AS (
    SELECT ps.customer_id,
           min(ps.promised_date) FILTER (WHERE ps.status = 'pending') AS promise_until,
           sum(ps.amount - ps.paid) FILTER (WHERE ps.status = 'pending') AS promised_amount,
           count(*) FILTER (WHERE ps.status = 'broken' AND ps.promised_date > cfg.as_of - 90) AS broken_90d
      FROM cfg, ar._promise_status_for(cfg.as_of) ps   -- stored by the refresh (a column argument: inlined)
     -- (only the statuses counted: a customer with none has no row, the same figures)
     WHERE ps.status = 'pending' OR (ps.status = 'broken' AND ps.promised_date > cfg.as_of - 90)
     GROUP BY ps.customer_id
), touches AS (         -- the latest touch since the oldest past-due invoice fell due
    SELECT a.customer_id, max(a.happened_at::date) AS last_touch
      FROM accounts ac JOIN ar.activities a ON a.customer_id = ac.customer_id, cfg
     WHERE a.happened_at::date <= cfg.as_of AND a.happened_at::date > cfg.as_of - ac.oldest_days_past_due
     GROUP BY a.customer_id
), strategies AS MATERIALIZED (  -- each step with the threshold of the next one and the first one of its ladder
    SELECT s.*, lead(s.min_days_past_due) OVER (PARTITION BY s.risk_segment ORDER BY s.min_days_past_due) AS next_days,
           min(s.min_days_past_due) OVER (PARTITION BY s.risk_segment) AS first_days
      FROM ar.effective_collection_strategies() s
),
base AS (
    SELECT cfg.as_of, a.*, c.name AS customer_name, c.currency, c.strategic_value,
           r.score, r.rating, coalesce(r.risk_segment, 'medium') AS risk_segment,
           a.past_due_amount - a.disputed_amount AS actionable_amount,
           coalesce(p.broken_90d, 0) AS broken_promises_90d, p.promise_until, p.promised_amount,
           t.last_touch, st.step, st.action, st.tone, st.channel, st.cadence_days, st.template, f.first_days
      FROM accounts a CROSS JOIN cfg
      JOIN ar.customers c ON c.customer_id = a.customer_id
      LEFT JOIN ar.customer_risk_mv r ON r.customer_id = a.customer_id
      LEFT JOIN promises p ON p.customer_id = a.customer_id
      LEFT JOIN touches t ON t.customer_id = a.customer_id
      -- the step whose threshold the oldest undisputed days reached and the next one's not
      -- (thresholds are unique per segment: collection_strategies_threshold_key), joined
      -- by hash (a sub-plan per account over the ladders: 1.3 s at 164,000 accounts)
      LEFT JOIN strategies st ON st.risk_segment = coalesce(r.risk_segment, 'medium')
                             AND st.min_days_past_due <= a.oldest_undisputed_days
                             AND (st.next_days IS NULL OR a.oldest_undisputed_days < st.next_days)
      LEFT JOIN (SELECT DISTINCT s.risk_segment, s.first_days FROM strategies s) f ON f.risk_segment = coalesce(r.risk_segment, 'medium')
), decided AS (
    SELECT b.*,
           CASE WHEN b.actionable_amount = 0 OR b.promise_until IS NOT NULL THEN 'held'
                WHEN b.step IS NULL OR b.last_touch + b.cadence_days > b.as_of THEN 'scheduled'
                ELSE 'due' END AS status,
           CASE WHEN b.actionable_amount = 0
                THEN format('open dispute on all past-due invoices (%s disputed)', ar._money(b.disputed_amount, b.currency))
                WHEN b.promise_until IS NOT NULL
                THEN format('promise to pay %s by %s', ar._money(b.promised_amount, b.currency), b.promise_until) END AS hold_reason,
           CASE WHEN b.actionable_amount = 0 THEN NULL
                WHEN b.promise_until IS NOT NULL THEN b.promise_until + 1          -- follow up if the promise is broken
                WHEN b.step IS NULL THEN b.as_of + (b.first_days - b.oldest_undisputed_days)
                ELSE coalesce(b.last_touch + b.cadence_days, b.as_of) END AS next_action_due,
           ar.collection_priority(b.actionable_amount, coalesce(b.oldest_undisputed_days, 0), b.score,
                                  b.strategic_value, b.broken_promises_90d) AS priority_score
      FROM base b
)
SELECT d.as_of, d.customer_id, d.customer_name, d.status,
       CASE WHEN d.status = 'due'
            THEN row_number() OVER (PARTITION BY d.status = 'due' ORDER BY d.priority_score DESC, d.actionable_amount DESC, d.customer_id) END AS priority_rank,
       d.priority_score, d.risk_segment, d.rating, d.score,
       d.past_due_amount, d.disputed_amount, d.actionable_amount, d.oldest_days_past_due,
       coalesce(d.oldest_undisputed_days, 0) AS oldest_undisputed_days, d.past_due_invoices,
       d.broken_promises_90d, d.strategic_value,
       d.step, d.action AS next_action, d.tone, d.channel, d.template,
       d.last_touch, d.next_action_due, d.hold_reason, d.invoices
  FROM decided d;
COMMENT ON VIEW ar._collections_worklist_rows IS 'Internal: the collections worklist computed as of ar.as_of() from the stored past-due accounts, ratings and promise statuses; what ar.collections_worklist_data keeps (query ar.collections_worklist).';

-- Its storage is the table ar.collections_worklist_data (sql/schema/collections.sql),
-- emptied and filled from this view by the refresh (ar._refresh_views).

CREATE OR REPLACE VIEW ar.collections_worklist AS
SELECT w.as_of, w.priority_rank, w.status, w.customer_id, w.customer_name, c.collector, w.priority_score,
       w.risk_segment, w.rating, w.score, w.past_due_amount, w.disputed_amount, w.actionable_amount,
       w.oldest_days_past_due, w.oldest_undisputed_days, w.past_due_invoices, w.broken_promises_90d, w.strategic_value,
       w.step, w.next_action, w.tone, w.channel, w.template, w.last_touch, w.next_action_due, w.hold_reason, w.invoices,
       c.segment, c.currency
  FROM ar.collections_worklist_data w JOIN ar.customers c ON c.customer_id = w.customer_id;
COMMENT ON VIEW ar.collections_worklist IS 'The collectors'' list as of the last refresh: one row per customer with past-due invoices, the next action from its risk segment''s strategy, when it is due, and its priority. Work status = ''due'' rows by priority_rank. docs/collections.md.';
COMMENT ON COLUMN ar.collections_worklist.as_of IS 'As-of date of the list.';
COMMENT ON COLUMN ar.collections_worklist.priority_rank IS 'Order in which to work the due accounts (1 = first); NULL unless status = due.';
COMMENT ON COLUMN ar.collections_worklist.status IS 'due (the next action is due on or before as_of), scheduled (touched within the cadence, or not yet at the first step of the ladder) or held (see hold_reason).';
COMMENT ON COLUMN ar.collections_worklist.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.collections_worklist.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.collections_worklist.collector IS 'Assigned collector (ar.customers.collector, as set now; see ar.assign_collectors).';
COMMENT ON COLUMN ar.collections_worklist.priority_score IS 'Priority 0-100 (ar.collection_priority of the undisputed past-due amount, oldest undisputed days past due, risk score, strategic value, broken promises in 90 days).';
COMMENT ON COLUMN ar.collections_worklist.risk_segment IS 'Risk segment whose strategy applies (medium when the account is not rated).';
COMMENT ON COLUMN ar.collections_worklist.rating IS 'Risk rating A-E.';
COMMENT ON COLUMN ar.collections_worklist.score IS 'Risk score 0-100.';
COMMENT ON COLUMN ar.collections_worklist.past_due_amount IS 'Open amount of the past-due invoices.';
COMMENT ON COLUMN ar.collections_worklist.disputed_amount IS 'Part of it under an open dispute.';
COMMENT ON COLUMN ar.collections_worklist.actionable_amount IS 'Past due and not disputed: what the collector chases.';
COMMENT ON COLUMN ar.collections_worklist.oldest_days_past_due IS 'Days past due of the oldest past-due invoice.';
COMMENT ON COLUMN ar.collections_worklist.oldest_undisputed_days IS 'Days past due of the oldest invoice not wholly disputed: chooses the ladder step (0 when all is disputed).';
COMMENT ON COLUMN ar.collections_worklist.past_due_invoices IS 'Number of past-due invoices.';
COMMENT ON COLUMN ar.collections_worklist.broken_promises_90d IS 'Promises to pay broken in the last 90 days.';
COMMENT ON COLUMN ar.collections_worklist.strategic_value IS 'Strategic value of the account (ar.customers).';
COMMENT ON COLUMN ar.collections_worklist.step IS 'Ladder step that applies (NULL: not yet at the first step).';
COMMENT ON COLUMN ar.collections_worklist.next_action IS 'Action of that step.';
COMMENT ON COLUMN ar.collections_worklist.tone IS 'Tone of that step.';
COMMENT ON COLUMN ar.collections_worklist.channel IS 'Channel of that step.';
COMMENT ON COLUMN ar.collections_worklist.template IS 'Message template of that step (fill it with ar.render_message).';
COMMENT ON COLUMN ar.collections_worklist.last_touch IS 'Date of the latest activity (ar.activities) since the oldest past-due invoice fell due.';
COMMENT ON COLUMN ar.collections_worklist.next_action_due IS 'When the next action is due: last touch + cadence (as_of when not touched yet), the day after a pending promise''s date, or the day the first step is reached; NULL while wholly disputed.';
COMMENT ON COLUMN ar.collections_worklist.hold_reason IS 'Why a held account is held back: an open dispute on all its past-due amount, or a promise to pay not yet due.';
COMMENT ON COLUMN ar.collections_worklist.invoices IS 'The past-due invoices concerned, oldest first.';
COMMENT ON COLUMN ar.collections_worklist.segment IS 'Business segment of the customer, for filtering.';
COMMENT ON COLUMN ar.collections_worklist.currency IS 'Currency of the amounts of the row: the customer''s (docs/currency.md).';

-- The storage table's and its view's columns are the published view's: the same descriptions.
SELECT ar._copy_column_comments('ar.collections_worklist', 'ar.collections_worklist_data');
SELECT ar._copy_column_comments('ar.collections_worklist', 'ar._collections_worklist_rows');
