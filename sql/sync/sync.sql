-- ar.sync: the staged rows (sql/schema/sync.sql) validated, the good ones upserted in
-- one transaction, the bad ones reported in ar.sync_rejects (docs/loading.md).

-- Keys are compared in the tables' collation ("C"), so that the indexes serve.
-- Parsers for staged text: NULL for an empty or malformed field (never an error), so
-- that a bad value rejects its row only. In Rust (src/sync.rs, rules in
-- core/src/parse.rs): a regular expression and a cast cost 2 to 5 microseconds a
-- field, three fields a row. Date fields are trimmed by the caller.
CREATE OR REPLACE FUNCTION ar._parse_date(t text) RETURNS date
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_parse_date';
COMMENT ON FUNCTION ar._parse_date(text) IS 'Internal (ar.sync): a YYYY-MM-DD text (trimmed) as a date (year 0001 to 9999, a real calendar day); NULL when empty or not such a date.';

CREATE OR REPLACE FUNCTION ar._parse_numeric(t text) RETURNS numeric
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_parse_numeric';
COMMENT ON FUNCTION ar._parse_numeric(text) IS 'Internal (ar.sync): a plain decimal text (digits, at most one point, a sign, ASCII spaces around; at most 40 characters) as numeric with the scale as written; NULL when empty or malformed (no exponent, no thousands separators).';

CREATE OR REPLACE FUNCTION ar._parse_integer(t text) RETURNS integer
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_parse_integer';
COMMENT ON FUNCTION ar._parse_integer(text) IS 'Internal (ar.sync): a whole number text (a sign, 1 to 9 digits, ASCII spaces around) as integer; NULL when empty or malformed.';

-- The reason a required date field (trimmed text t, parsed d) is refused, likewise.
-- The reason an amount field is refused ('SSSSS reason'), or NULL: present, a number,
-- positive (or >= 0), at most 2 decimals, within numeric(18,2).
CREATE OR REPLACE FUNCTION ar._amount_problem(field text, t text, v numeric, zero_allowed boolean) RETURNS text
STABLE PARALLEL SAFE LANGUAGE sql
RETURN CASE WHEN nullif(btrim(t), '') IS NULL THEN NULL
            WHEN v IS NULL THEN format('22P02 %s %L is not a number (digits and one decimal point)', field, t)
            WHEN v < 0 OR (v = 0 AND NOT zero_allowed) THEN format('23514 %s %s must be %s', field, v, CASE WHEN zero_allowed THEN 'zero or more' ELSE 'positive' END)
            WHEN v <> round(v, 2) THEN format('23514 %s %s has more than 2 decimals', field, v)
            WHEN v >= 1e16 THEN format('22003 %s %s is too large (at most 15 digits before the point)', field, v) END;
COMMENT ON FUNCTION ar._amount_problem(text, text, numeric, boolean) IS 'Internal (ar.sync): why an amount field is refused, as SQLSTATE and reason, or NULL.';

CREATE OR REPLACE FUNCTION ar._date_problem(field text, t text, d date) RETURNS text
STABLE PARALLEL SAFE LANGUAGE sql
RETURN CASE WHEN nullif(t, '') IS NULL THEN format('23502 %s is missing', field)
            WHEN d IS NULL THEN format('22007 %s %L is not a date (YYYY-MM-DD)', field, t) END;
COMMENT ON FUNCTION ar._date_problem(text, text, date) IS 'Internal (ar.sync): why a required date field is refused, as SQLSTATE and reason, or NULL.';

-- ar.sync(batch_label): one batch. Every staged row is validated; the good ones are
-- applied in dependency order (customers, invoices, adjustments, payments), as upserts
-- on their keys that rewrite a row only when a value changed; the bad ones go to
-- ar.sync_rejects with the reason; the staging tables are emptied; one row of
-- ar.sync_batches logs the counts. All in the caller's transaction: nothing is
-- half-applied. The change log of the incremental refresh is written by the tables'
-- own triggers, as for any other load.
CREATE OR REPLACE FUNCTION ar.sync(batch_label text DEFAULT NULL)
RETURNS TABLE ("table" text, inserted bigint, updated bigint, unchanged bigint, rejected bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    b bigint;
    c jsonb := '{}';
    n_ins bigint;
    n_upd bigint;
    n_del bigint;
    a_ins bigint := 0;
    a_upd bigint := 0;
    a_del bigint := 0;
BEGIN
    -- one sync at a time (a second waits); refreshes are not blocked
    PERFORM pg_advisory_xact_lock(1634890337, 2);
    INSERT INTO ar.sync_batches (label) VALUES (batch_label) RETURNING batch INTO b;
    -- work tables of an earlier call in this transaction (quietly: no temp schema yet is no notice)
    IF to_regclass('pg_temp._sync_load') IS NOT NULL THEN DROP VIEW pg_temp._sync_load; END IF;
    IF to_regclass('pg_temp._sync_final') IS NOT NULL THEN DROP VIEW pg_temp._sync_final; END IF;
    IF to_regclass('pg_temp._sync_c') IS NOT NULL THEN DROP TABLE pg_temp._sync_c, pg_temp._sync_i, pg_temp._sync_p, pg_temp._sync_a; END IF;
    IF to_regclass('pg_temp._sync_touched') IS NOT NULL THEN DROP TABLE pg_temp._sync_touched, pg_temp._sync_over; END IF;

    -- customers ---------------------------------------------------------------
    CREATE TEMP TABLE _sync_c ON COMMIT DROP AS
    SELECT x.*, CASE
             WHEN x.customer_id IS NULL THEN '23502 customer_id is missing'
             WHEN x.copies > 1 THEN format('23505 customer_id %s appears %s times in this batch', x.customer_id, x.copies)
             WHEN x.name IS NULL THEN '23502 name is missing'
             WHEN x.payment_terms_days_t ~ '\S' AND x.terms IS NULL THEN format('22P02 payment_terms_days %L is not a whole number', x.payment_terms_days_t)
             WHEN x.terms < 0 THEN format('23514 payment_terms_days %s must be zero or more', x.terms)
             WHEN x.currency !~ '^[A-Z]{3}$' THEN format('22023 currency %L is not a 3-letter ISO 4217 code', x.currency)
             ELSE coalesce(ar._amount_problem('credit_limit', x.credit_limit_t, x.credit_limit, true),
                           CASE WHEN x.strategic_value_t ~ '\S' AND x.strategic_value IS NULL THEN format('22P02 strategic_value %L is not a number', x.strategic_value_t)
                                WHEN x.strategic_value < 0 THEN format('23514 strategic_value %s must be zero or more', x.strategic_value) END) END AS err
      FROM (SELECT s.ctid AS sctid, s.credit_limit AS credit_limit_t, s.payment_terms_days AS payment_terms_days_t, s.strategic_value AS strategic_value_t, nullif(btrim(s.customer_id), '') COLLATE "C" AS customer_id, nullif(btrim(s.name), '') AS name,
                   nullif(btrim(s.segment), '') AS segment, nullif(btrim(s.collector), '') AS collector,
                   ar._parse_numeric(s.credit_limit) AS credit_limit, ar._parse_integer(s.payment_terms_days) AS terms,
                   upper(nullif(btrim(s.currency), '')) AS currency, ar._parse_numeric(s.strategic_value) AS strategic_value,
                   count(*) OVER (PARTITION BY nullif(btrim(s.customer_id), '') COLLATE "C") AS copies
              FROM ar.stage_customers s OFFSET 0) x;
    CREATE INDEX ON _sync_c (customer_id);
    ANALYZE _sync_c;

    -- invoices (customers: those in the table and this batch's good ones) -------------
    CREATE TEMP TABLE _sync_i ON COMMIT DROP AS
    SELECT x.*, CASE
             WHEN x.invoice_id IS NULL THEN '23502 invoice_id is missing'
             WHEN x.copies > 1 THEN format('23505 invoice_id %s appears %s times in this batch', x.invoice_id, x.copies)
             WHEN x.customer_id IS NULL THEN '23502 customer_id is missing'
             WHEN kc.customer_id IS NULL AND NOT coalesce(bc.good, false) THEN
                  CASE WHEN bc.customer_id IS NOT NULL THEN format('23503 customer %s was rejected in this batch', x.customer_id)
                       ELSE format('23503 customer %s does not exist', x.customer_id) END
             WHEN o.customer_id IS NOT NULL AND o.customer_id <> x.customer_id THEN
                  format('23514 invoice %s belongs to customer %s, not %s (an invoice cannot move to another customer)', x.invoice_id, o.customer_id, x.customer_id)
             WHEN ar._date_problem('invoice_date', x.invoice_date_t, x.invoice_date) IS NOT NULL THEN ar._date_problem('invoice_date', x.invoice_date_t, x.invoice_date)
             WHEN ar._date_problem('due_date', x.due_date_t, x.due_date) IS NOT NULL THEN ar._date_problem('due_date', x.due_date_t, x.due_date)
             WHEN x.due_date < x.invoice_date THEN format('23514 due_date %s is before invoice_date %s', x.due_date, x.invoice_date)
             WHEN x.amount_t IS NULL THEN '23502 amount is missing'
             WHEN ar._amount_problem('amount', x.amount_t, x.amount, false) IS NOT NULL THEN ar._amount_problem('amount', x.amount_t, x.amount, false)
             WHEN x.currency !~ '^[A-Z]{3}$' THEN format('22023 currency %L is not a 3-letter ISO 4217 code', x.currency)
             WHEN x.status NOT IN ('open', 'void') THEN format('22023 status %L is not open or void', x.status)
             WHEN x.status = 'void' AND ar._date_problem('void_date', x.void_date_t, x.void_date) IS NOT NULL THEN ar._date_problem('void_date', x.void_date_t, x.void_date)
             WHEN x.status = 'void' AND x.void_date < x.invoice_date THEN format('23514 void_date %s is before invoice_date %s', x.void_date, x.invoice_date)
             WHEN x.status = 'open' AND x.void_date_t ~ '\S' THEN format('23514 void_date %L is given but status is not void', x.void_date_t) END AS err,
           o.invoice_id IS NOT NULL AS existed, o.amount AS old_amount,
           (o.invoice_date, o.due_date, o.amount, o.currency) IS NOT DISTINCT FROM (x.invoice_date, x.due_date, x.amount, x.currency) AS same
      FROM (SELECT s.ctid AS sctid, btrim(s.due_date) AS due_date_t, btrim(s.invoice_date) AS invoice_date_t, btrim(s.void_date) AS void_date_t, nullif(btrim(s.invoice_id), '') COLLATE "C" AS invoice_id, nullif(btrim(s.customer_id), '') COLLATE "C" AS customer_id,
                   ar._parse_date(btrim(s.invoice_date)) AS invoice_date, ar._parse_date(btrim(s.due_date)) AS due_date,
                   nullif(btrim(s.amount), '') AS amount_t, ar._parse_numeric(s.amount) AS amount,
                   coalesce(upper(nullif(btrim(s.currency), '')), 'USD') AS currency,
                   coalesce(lower(nullif(btrim(s.status), '')), 'open') AS status, ar._parse_date(btrim(s.void_date)) AS void_date,
                   count(*) OVER (PARTITION BY nullif(btrim(s.invoice_id), '') COLLATE "C") AS copies
              FROM ar.stage_invoices s OFFSET 0) x
      LEFT JOIN ar.customers kc ON kc.customer_id = x.customer_id
      LEFT JOIN (SELECT customer_id, bool_or(err IS NULL) AS good FROM _sync_c GROUP BY customer_id) bc ON bc.customer_id = x.customer_id
      LEFT JOIN ar.invoices o ON o.invoice_id = x.invoice_id;
    CREATE INDEX ON _sync_i (invoice_id);
    ANALYZE _sync_i;

    -- payments (invoices: those in the table and this batch's good ones) ---------------
    CREATE TEMP TABLE _sync_p ON COMMIT DROP AS
    SELECT x.*, CASE
             WHEN x.source_id IS NULL THEN '23502 source_id is missing'
             WHEN x.copies > 1 THEN format('23505 source_id %s appears %s times in this batch', x.source_id, x.copies)
             WHEN x.customer_id IS NULL THEN '23502 customer_id is missing'
             WHEN kc.customer_id IS NULL AND NOT coalesce(bc.good, false) THEN
                  CASE WHEN bc.customer_id IS NOT NULL THEN format('23503 customer %s was rejected in this batch', x.customer_id)
                       ELSE format('23503 customer %s does not exist', x.customer_id) END
             WHEN x.invoice_id IS NOT NULL AND coalesce(gi.customer_id, o.customer_id) IS NULL THEN
                  CASE WHEN ai.invoice_id IS NOT NULL THEN format('23503 invoice %s was rejected in this batch', x.invoice_id)
                       ELSE format('23503 invoice %s does not exist', x.invoice_id) END
             WHEN coalesce(gi.customer_id, o.customer_id) <> x.customer_id THEN
                  format('23503 invoice %s belongs to customer %s, not %s', x.invoice_id, coalesce(gi.customer_id, o.customer_id), x.customer_id)
             WHEN ar._date_problem('payment_date', x.payment_date_t, x.payment_date) IS NOT NULL THEN ar._date_problem('payment_date', x.payment_date_t, x.payment_date)
             WHEN x.amount_t IS NULL THEN '23502 amount is missing'
             WHEN ar._amount_problem('amount', x.amount_t, x.amount, false) IS NOT NULL THEN ar._amount_problem('amount', x.amount_t, x.amount, false)
             WHEN x.status NOT IN ('applied', 'reversed') THEN format('22023 status %L is not applied or reversed', x.status)
             WHEN x.status = 'reversed' AND x.invoice_id IS NULL THEN '23514 a reversed payment must name its invoice (delete reversed unapplied cash instead)'
             WHEN x.status = 'reversed' AND ar._date_problem('reversal_date', x.reversal_date_t, x.reversal_date) IS NOT NULL THEN ar._date_problem('reversal_date', x.reversal_date_t, x.reversal_date)
             WHEN x.status = 'reversed' AND x.reversal_date < x.payment_date THEN format('23514 reversal_date %s is before payment_date %s', x.reversal_date, x.payment_date)
             WHEN x.status = 'applied' AND x.reversal_date_t ~ '\S' THEN format('23514 reversal_date %L is given but status is not reversed', x.reversal_date_t)
             WHEN x.currency !~ '^[A-Z]{3}$' THEN format('22023 currency %L is not a 3-letter ISO 4217 code', x.currency)
             WHEN x.invoice_id IS NOT NULL AND x.currency <> coalesce(gi.currency, o.currency) THEN
                  format('23514 payment in %s, but invoice %s is in %s (docs/currency.md)', x.currency, x.invoice_id, coalesce(gi.currency, o.currency))
             WHEN x.invoice_id IS NULL AND x.currency <> coalesce(sc.currency, kc.currency) THEN
                  format('23514 unapplied cash in %s, but customer %s is in %s (docs/currency.md)', x.currency, x.customer_id, coalesce(sc.currency, kc.currency)) END AS err,
           o.invoice_id IS NOT NULL AS invoice_existed, op.invoice_id AS old_invoice_id,
           (op.customer_id, op.invoice_id, op.payment_date, op.amount, op.reference, op.reversed_on, op.currency)
           IS NOT DISTINCT FROM (x.customer_id, x.invoice_id, x.payment_date, x.amount, x.reference, CASE WHEN x.status = 'reversed' THEN x.reversal_date END, x.currency) AS same
      FROM (SELECT s.ctid AS sctid, upper(nullif(btrim(s.currency), '')) AS currency, btrim(s.payment_date) AS payment_date_t, btrim(s.reversal_date) AS reversal_date_t, nullif(btrim(s.source_id), '') COLLATE "C" AS source_id, nullif(btrim(s.customer_id), '') COLLATE "C" AS customer_id,
                           nullif(btrim(s.invoice_id), '') COLLATE "C" AS invoice_id, ar._parse_date(btrim(s.payment_date)) AS payment_date,
                           nullif(btrim(s.amount), '') AS amount_t, ar._parse_numeric(s.amount) AS amount, nullif(btrim(s.reference), '') AS reference,
                           coalesce(lower(nullif(btrim(s.status), '')), 'applied') AS status, ar._parse_date(btrim(s.reversal_date)) AS reversal_date,
                           count(*) OVER (PARTITION BY nullif(btrim(s.source_id), '') COLLATE "C") AS copies
              FROM ar.stage_payments s OFFSET 0) x
      LEFT JOIN ar.customers kc ON kc.customer_id = x.customer_id
      LEFT JOIN (SELECT customer_id, bool_or(err IS NULL) AS good FROM _sync_c GROUP BY customer_id) bc ON bc.customer_id = x.customer_id
      LEFT JOIN ar.invoices o ON o.invoice_id = x.invoice_id
      LEFT JOIN ar.payments op ON op.source_id = x.source_id
      LEFT JOIN (SELECT invoice_id, customer_id, currency FROM _sync_i WHERE err IS NULL) gi ON gi.invoice_id = x.invoice_id
      LEFT JOIN (SELECT DISTINCT invoice_id FROM _sync_i) ai ON ai.invoice_id = x.invoice_id
      LEFT JOIN (SELECT customer_id, min(coalesce(currency, 'USD')) AS currency FROM _sync_c WHERE err IS NULL GROUP BY customer_id) sc ON sc.customer_id = x.customer_id;
    CREATE INDEX ON _sync_p (source_id);
    CREATE INDEX ON _sync_p (invoice_id);
    ANALYZE _sync_p;

    -- adjustments: the staged ones, then the derived ones (reversals now, voids below) --
    CREATE TEMP TABLE _sync_a ON COMMIT DROP AS
    SELECT x.*, CASE
             WHEN x.source_id IS NULL THEN '23502 source_id is missing'
             WHEN x.copies > 1 THEN format('23505 source_id %s appears %s times in this batch', x.source_id, x.copies)
             WHEN x.source_id ~ '^(void|reversal):' THEN format('23514 source_id %s: the prefixes void: and reversal: are kept for the voids and reversals ar.sync writes', x.source_id)
             WHEN x.invoice_id IS NULL THEN '23502 invoice_id is missing'
             WHEN coalesce(gi.customer_id, o.customer_id) IS NULL THEN
                  CASE WHEN ai.invoice_id IS NOT NULL THEN format('23503 invoice %s was rejected in this batch', x.invoice_id)
                       ELSE format('23503 invoice %s does not exist', x.invoice_id) END
             WHEN ar._date_problem('adjustment_date', x.adjustment_date_t, x.adjustment_date) IS NOT NULL THEN ar._date_problem('adjustment_date', x.adjustment_date_t, x.adjustment_date)
             WHEN x.amount_t IS NULL THEN '23502 amount is missing'
             WHEN ar._amount_problem('amount', x.amount_t, x.amount, false) IS NOT NULL THEN ar._amount_problem('amount', x.amount_t, x.amount, false)
             WHEN x.kind IS NULL OR x.kind NOT IN ('credit_memo', 'write_off', 'debit_memo') THEN format('22023 kind %L is not credit_memo, write_off or debit_memo', x.kind) END AS err,
           false AS derived, o.invoice_id IS NOT NULL AS invoice_existed
      FROM (SELECT s.ctid AS sctid, btrim(s.adjustment_date) AS adjustment_date_t, nullif(btrim(s.source_id), '') COLLATE "C" AS source_id, nullif(btrim(s.invoice_id), '') COLLATE "C" AS invoice_id,
                   ar._parse_date(btrim(s.adjustment_date)) AS adjustment_date, nullif(btrim(s.amount), '') AS amount_t,
                   ar._parse_numeric(s.amount) AS amount, lower(nullif(btrim(s.kind), '')) AS kind,
                   count(*) OVER (PARTITION BY nullif(btrim(s.source_id), '') COLLATE "C") AS copies
              FROM ar.stage_adjustments s OFFSET 0) x
      LEFT JOIN ar.invoices o ON o.invoice_id = x.invoice_id
      LEFT JOIN (SELECT invoice_id, customer_id FROM _sync_i WHERE err IS NULL) gi ON gi.invoice_id = x.invoice_id
      LEFT JOIN (SELECT DISTINCT invoice_id FROM _sync_i) ai ON ai.invoice_id = x.invoice_id;
    INSERT INTO _sync_a (sctid, source_id, invoice_id, adjustment_date, amount_t, amount, kind, copies, err, derived, invoice_existed)
    SELECT NULL::tid, 'reversal:' || p.source_id, p.invoice_id, p.reversal_date, p.amount_t, p.amount, 'debit_memo', 1, NULL, true, p.invoice_existed
      FROM _sync_p p WHERE p.err IS NULL AND p.status = 'reversed';
    CREATE INDEX ON _sync_a (source_id);
    CREATE INDEX ON _sync_a (invoice_id);
    ANALYZE _sync_a;

    -- The final state of every invoice the batch changes: its rows that stay (existing
    -- rows the batch does not replace; not the derived rows it rewrites) and the batch's
    -- good rows. A view: it follows the rejections made below.
    -- The invoices looked at: first every one a new or changed row of the batch touches
    -- (an invoice whose rows all arrive unchanged keeps its state, valid already); once
    -- the over-applied ones are known, only those and the voided ones (so the view is
    -- computed in full once). existed: the invoice is in the table, so it may have
    -- rows there (an invoice new in this batch has none: only its batch rows are read).
    CREATE TEMP TABLE _sync_touched ON COMMIT DROP AS
    SELECT t.invoice_id, bool_or(t.existed) AS existed
      FROM (SELECT invoice_id, existed FROM _sync_i WHERE err IS NULL AND NOT same
            UNION ALL SELECT invoice_id, invoice_existed FROM _sync_p WHERE err IS NULL AND NOT same AND invoice_id IS NOT NULL
            UNION ALL SELECT old_invoice_id, true FROM _sync_p WHERE err IS NULL AND NOT same AND old_invoice_id IS NOT NULL
            UNION ALL SELECT invoice_id, invoice_existed FROM _sync_a WHERE err IS NULL
            UNION ALL SELECT o.invoice_id, true FROM ar.adjustments o JOIN _sync_a a ON a.source_id = o.source_id WHERE a.err IS NULL) t
     GROUP BY t.invoice_id;
    CREATE INDEX ON _sync_touched (invoice_id);
    ANALYZE _sync_touched;
    CREATE TEMP VIEW _sync_final AS
    SELECT o.invoice_id, o.amount AS paid, 0::numeric AS debits, 0::numeric AS credits
      FROM ar.payments o
     WHERE o.invoice_id IN (SELECT invoice_id FROM _sync_touched WHERE existed)
       AND NOT EXISTS (SELECT FROM _sync_p p WHERE p.source_id = o.source_id AND p.err IS NULL)
    UNION ALL
    SELECT o.invoice_id, 0, CASE WHEN o.kind = 'debit_memo' THEN o.amount ELSE 0 END, CASE WHEN o.kind <> 'debit_memo' THEN o.amount ELSE 0 END
      FROM ar.adjustments o
     WHERE o.invoice_id IN (SELECT invoice_id FROM _sync_touched WHERE existed)
       AND NOT EXISTS (SELECT FROM _sync_a a WHERE a.source_id = o.source_id AND a.err IS NULL)
       AND NOT EXISTS (SELECT FROM _sync_i i WHERE i.err IS NULL AND o.source_id = 'void:' || i.invoice_id)
       AND NOT EXISTS (SELECT FROM _sync_p p WHERE p.err IS NULL AND o.source_id = 'reversal:' || p.source_id)
    UNION ALL
    SELECT p.invoice_id, p.amount, 0, 0 FROM _sync_p p WHERE p.err IS NULL AND p.invoice_id IN (SELECT invoice_id FROM _sync_touched)
    UNION ALL
    SELECT a.invoice_id, 0, CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE 0 END, CASE WHEN a.kind <> 'debit_memo' THEN a.amount ELSE 0 END
      FROM _sync_a a WHERE a.err IS NULL AND a.invoice_id IN (SELECT invoice_id FROM _sync_touched);
    -- (the amount: the batch's good row, else the table's, looked up only then)
    CREATE TEMP VIEW _sync_load AS
    SELECT t.invoice_id, t.existed,
           coalesce(i.amount, CASE WHEN t.existed THEN (SELECT o.amount FROM ar.invoices o WHERE o.invoice_id = t.invoice_id) END) AS amount,
           coalesce(f.paid, 0) AS paid, coalesce(f.debits, 0) AS debits, coalesce(f.credits, 0) AS credits
      FROM _sync_touched t
      LEFT JOIN _sync_i i ON i.invoice_id = t.invoice_id AND i.err IS NULL
      LEFT JOIN (SELECT invoice_id, sum(paid) AS paid, sum(debits) AS debits, sum(credits) AS credits FROM _sync_final GROUP BY invoice_id) f
             ON f.invoice_id = t.invoice_id;

    -- No invoice over-applied: its final amount plus debits must cover its final
    -- payments plus credits. Where they would not, the batch's new or changed payments of
    -- that invoice (one re-sent unchanged is in already) are taken in date order and
    -- those that no longer fit are refused; if it is still
    -- over, the batch's credits of it; if it is still over, the invoice row (its new
    -- amount is below what it already carries).
    CREATE TEMP TABLE _sync_over ON COMMIT DROP AS SELECT invoice_id, existed FROM _sync_load l WHERE l.paid + l.credits > l.amount + l.debits;
    TRUNCATE _sync_touched;
    INSERT INTO _sync_touched SELECT invoice_id, bool_or(existed) FROM (SELECT invoice_id, existed FROM _sync_over UNION ALL SELECT invoice_id, existed FROM _sync_i WHERE err IS NULL AND status = 'void') v GROUP BY invoice_id;
    ANALYZE _sync_touched;
    UPDATE _sync_p p SET err = format('23514 would over-apply invoice %s: with the payments of this batch dated before it, payments %s plus credits %s exceed amount %s plus debits %s',
                                      x.invoice_id, round(x.paid - x.batch_paid + x.running, 2), round(x.credits, 2), round(x.amount, 2), round(x.debits, 2))
      FROM (SELECT q.source_id, l.*, sum(q.amount) OVER w AS running, sum(q.amount) OVER (PARTITION BY q.invoice_id) AS batch_paid
              FROM _sync_p q JOIN _sync_load l ON l.invoice_id = q.invoice_id
             WHERE q.err IS NULL AND NOT q.same AND l.paid + l.credits > l.amount + l.debits
            WINDOW w AS (PARTITION BY q.invoice_id ORDER BY q.payment_date, q.source_id)) x
     WHERE p.source_id = x.source_id AND x.paid - x.batch_paid + x.running + x.credits > x.amount + x.debits;
    DELETE FROM _sync_a a WHERE a.derived AND NOT EXISTS (SELECT FROM _sync_p p WHERE p.err IS NULL AND a.source_id = 'reversal:' || p.source_id);
    UPDATE _sync_a a SET err = format('23514 would over-apply invoice %s: payments %s plus credits %s exceed amount %s plus debits %s',
                                      l.invoice_id, round(l.paid, 2), round(l.credits, 2), round(l.amount, 2), round(l.debits, 2))
      FROM _sync_load l WHERE a.err IS NULL AND NOT a.derived AND a.kind <> 'debit_memo' AND a.invoice_id = l.invoice_id
       AND l.paid + l.credits > l.amount + l.debits;
    UPDATE _sync_i i SET err = format('23514 amount %s is below what invoice %s carries: payments %s plus credits %s less debits %s',
                                      round(i.amount, 2), i.invoice_id, round(l.paid, 2), round(l.credits, 2), round(l.debits, 2))
      FROM _sync_load l WHERE i.err IS NULL AND i.invoice_id = l.invoice_id AND l.paid + l.credits > l.amount + l.debits;

    -- voids: a credit of what is left open on the invoice in the final state, dated the
    -- void date (no row when nothing is left open)
    INSERT INTO _sync_a (sctid, source_id, invoice_id, adjustment_date, amount_t, amount, kind, copies, err, derived, invoice_existed)
    SELECT NULL::tid, 'void:' || v.invoice_id, v.invoice_id, v.void_date, NULL, v.open_amount, 'credit_memo', 1, NULL, true, v.existed
      FROM (SELECT i.invoice_id, i.void_date, i.existed, coalesce(l.amount + l.debits - l.credits - l.paid, i.amount) AS open_amount
              FROM (SELECT * FROM _sync_i WHERE err IS NULL AND status = 'void') i LEFT JOIN _sync_load l ON l.invoice_id = i.invoice_id) v
     WHERE v.open_amount > 0;
    DROP VIEW _sync_load;
    DROP VIEW _sync_final;

    -- apply, in an order where no statement over-applies an invoice that the batch's
    -- final state does not: customers; invoices whose amount does not go down; debits
    -- (staged and reversals); voids undone; payments; credits (staged and voids);
    -- reversals undone; invoices whose amount goes down.
    WITH up AS (
        INSERT INTO ar.customers AS t (customer_id, name, segment, collector, credit_limit, payment_terms_days, currency, strategic_value)
        SELECT s.customer_id, s.name, s.segment, s.collector, s.credit_limit, coalesce(s.terms, 30), coalesce(s.currency, 'USD'), s.strategic_value
          FROM _sync_c s WHERE s.err IS NULL
            ON CONFLICT (customer_id) DO UPDATE
           SET name = excluded.name, segment = excluded.segment, collector = excluded.collector, credit_limit = excluded.credit_limit,
               payment_terms_days = excluded.payment_terms_days, currency = excluded.currency, strategic_value = excluded.strategic_value
         WHERE (t.name, t.segment, t.collector, t.credit_limit, t.payment_terms_days, t.currency, t.strategic_value)
               IS DISTINCT FROM (excluded.name, excluded.segment, excluded.collector, excluded.credit_limit, excluded.payment_terms_days, excluded.currency, excluded.strategic_value)
        RETURNING (xmax = 0) AS is_new)
    SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) INTO n_ins, n_upd FROM up;
    c := c || ar._sync_counts('customers', n_ins, n_upd, 0, (SELECT count(*) FROM _sync_c WHERE err IS NULL), (SELECT count(*) FROM _sync_c WHERE err IS NOT NULL));

    WITH up AS (
        INSERT INTO ar.invoices AS t (invoice_id, customer_id, invoice_date, due_date, amount, currency)
        SELECT s.invoice_id, s.customer_id, s.invoice_date, s.due_date, s.amount, s.currency
          FROM _sync_i s WHERE s.err IS NULL AND NOT s.same AND NOT (s.existed AND s.old_amount > s.amount)
            ON CONFLICT (invoice_id) DO UPDATE
           SET invoice_date = excluded.invoice_date, due_date = excluded.due_date, amount = excluded.amount, currency = excluded.currency
         WHERE (t.invoice_date, t.due_date, t.amount, t.currency) IS DISTINCT FROM (excluded.invoice_date, excluded.due_date, excluded.amount, excluded.currency)
        RETURNING (xmax = 0) AS is_new)
    SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) INTO n_ins, n_upd FROM up;

    SELECT a_ins + x.inserted, a_upd + x.updated INTO a_ins, a_upd FROM ar._sync_apply_adjustments(true) x;
    DELETE FROM ar.adjustments o
     WHERE o.source_id LIKE 'void:%'
       AND EXISTS (SELECT FROM _sync_i i WHERE i.err IS NULL AND o.source_id = 'void:' || i.invoice_id)
       AND NOT EXISTS (SELECT FROM _sync_a a WHERE a.source_id = o.source_id);
    GET DIAGNOSTICS n_del = ROW_COUNT;
    a_del := a_del + n_del;

    WITH up AS (
        INSERT INTO ar.payments AS t (customer_id, invoice_id, payment_date, amount, reference, source_id, reversed_on, currency)
        SELECT s.customer_id, s.invoice_id, s.payment_date, s.amount, s.reference, s.source_id, CASE WHEN s.status = 'reversed' THEN s.reversal_date END, s.currency
          FROM _sync_p s WHERE s.err IS NULL AND NOT s.same
            ON CONFLICT (source_id) WHERE source_id IS NOT NULL DO UPDATE
           SET customer_id = excluded.customer_id, invoice_id = excluded.invoice_id, payment_date = excluded.payment_date,
               amount = excluded.amount, reference = excluded.reference, reversed_on = excluded.reversed_on, currency = excluded.currency
         WHERE (t.customer_id, t.invoice_id, t.payment_date, t.amount, t.reference, t.reversed_on, t.currency)
               IS DISTINCT FROM (excluded.customer_id, excluded.invoice_id, excluded.payment_date, excluded.amount, excluded.reference, excluded.reversed_on, excluded.currency)
        RETURNING (xmax = 0) AS is_new)
    SELECT c || ar._sync_counts('payments', count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new), 0,
                                (SELECT count(*) FROM _sync_p WHERE err IS NULL), (SELECT count(*) FROM _sync_p WHERE err IS NOT NULL))
      INTO c FROM up;

    SELECT a_ins + x.inserted, a_upd + x.updated INTO a_ins, a_upd FROM ar._sync_apply_adjustments(false) x;
    DELETE FROM ar.adjustments o
     WHERE o.source_id LIKE 'reversal:%'
       AND EXISTS (SELECT FROM _sync_p p WHERE p.err IS NULL AND p.status = 'applied' AND o.source_id = 'reversal:' || p.source_id);
    GET DIAGNOSTICS n_del = ROW_COUNT;
    a_del := a_del + n_del;
    c := c || ar._sync_counts('adjustments', a_ins, a_upd, a_del, (SELECT count(*) FROM _sync_a WHERE err IS NULL),
                              (SELECT count(*) FROM _sync_a WHERE err IS NOT NULL AND NOT derived));

    WITH up AS (
        UPDATE ar.invoices t SET invoice_date = s.invoice_date, due_date = s.due_date, amount = s.amount, currency = s.currency
          FROM _sync_i s WHERE s.err IS NULL AND s.existed AND s.old_amount > s.amount AND t.invoice_id = s.invoice_id AND t.amount > s.amount
        RETURNING 1)
    SELECT n_upd + count(*) INTO n_upd FROM up;
    c := c || ar._sync_counts('invoices', n_ins, n_upd, 0, (SELECT count(*) FROM _sync_i WHERE err IS NULL), (SELECT count(*) FROM _sync_i WHERE err IS NOT NULL));

    -- the refused rows, the log, and empty staging for the next batch
    INSERT INTO ar.sync_rejects (batch, "table", row_data, reason, sqlstate)
    SELECT b, 'customers', to_jsonb(s), substr(x.err, 7), left(x.err, 5) FROM _sync_c x JOIN ar.stage_customers s ON s.ctid = x.sctid WHERE x.err IS NOT NULL
    UNION ALL
    SELECT b, 'invoices', to_jsonb(s), substr(x.err, 7), left(x.err, 5) FROM _sync_i x JOIN ar.stage_invoices s ON s.ctid = x.sctid WHERE x.err IS NOT NULL
    UNION ALL
    SELECT b, 'payments', to_jsonb(s), substr(x.err, 7), left(x.err, 5) FROM _sync_p x JOIN ar.stage_payments s ON s.ctid = x.sctid WHERE x.err IS NOT NULL
    UNION ALL
    SELECT b, 'adjustments', to_jsonb(s), substr(x.err, 7), left(x.err, 5) FROM _sync_a x JOIN ar.stage_adjustments s ON s.ctid = x.sctid WHERE x.err IS NOT NULL AND NOT x.derived;
    UPDATE ar.sync_batches SET finished_at = clock_timestamp(), counts = c WHERE batch = b;
    DELETE FROM ar.stage_customers;
    DELETE FROM ar.stage_invoices;
    DELETE FROM ar.stage_payments;
    DELETE FROM ar.stage_adjustments;
    RETURN QUERY
    SELECT t.k, (t.v ->> 'inserted')::bigint, (t.v ->> 'updated')::bigint, (t.v ->> 'unchanged')::bigint, (t.v ->> 'rejected')::bigint
      FROM jsonb_each(c) AS t(k, v)
     ORDER BY array_position(ARRAY['customers', 'invoices', 'payments', 'adjustments'], t.k);
END $$;
COMMENT ON FUNCTION ar.sync(text) IS 'Apply the staged rows (ar.stage_customers, ar.stage_invoices, ar.stage_payments, ar.stage_adjustments) in one transaction: each row validated, the good ones upserted on their keys (rewritten only when a value changed; voids and payment reversals as adjustments), the bad ones in ar.sync_rejects with a reason; staging emptied; logged in ar.sync_batches. Returns per table the rows inserted, updated, unchanged and rejected. docs/loading.md.';

-- One table's entry of ar.sync_batches.counts. deleted: derived rows removed (a void
-- or reversal undone), counted as updated.
CREATE OR REPLACE FUNCTION ar._sync_counts(tbl text, ins bigint, upd bigint, deleted bigint, good bigint, bad bigint) RETURNS jsonb
IMMUTABLE PARALLEL SAFE LANGUAGE sql
RETURN jsonb_build_object(tbl, jsonb_build_object('inserted', ins, 'updated', upd + deleted, 'unchanged', good - ins - upd, 'rejected', bad));
COMMENT ON FUNCTION ar._sync_counts(text, bigint, bigint, bigint, bigint, bigint) IS 'Internal (ar.sync): one table''s counts for ar.sync_batches.';

-- The good adjustments of the batch being synced (pg_temp._sync_a, made by ar.sync),
-- debits or credits, upserted on source_id.
CREATE OR REPLACE FUNCTION ar._sync_apply_adjustments(debits boolean, OUT inserted bigint, OUT updated bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH up AS (
        INSERT INTO ar.adjustments AS t (invoice_id, adjustment_date, amount, kind, source_id)
        SELECT s.invoice_id, s.adjustment_date, s.amount, s.kind, s.source_id
          FROM pg_temp._sync_a s WHERE s.err IS NULL AND (s.kind = 'debit_memo') = debits
            ON CONFLICT (source_id) WHERE source_id IS NOT NULL DO UPDATE
           SET invoice_id = excluded.invoice_id, adjustment_date = excluded.adjustment_date, amount = excluded.amount, kind = excluded.kind
         WHERE (t.invoice_id, t.adjustment_date, t.amount, t.kind) IS DISTINCT FROM (excluded.invoice_id, excluded.adjustment_date, excluded.amount, excluded.kind)
        RETURNING (xmax = 0) AS is_new)
    SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) INTO inserted, updated FROM up;
END $$;
COMMENT ON FUNCTION ar._sync_apply_adjustments(boolean) IS 'Internal (ar.sync): upsert the batch''s good debit (or credit) adjustments; returns the rows inserted and updated.';
