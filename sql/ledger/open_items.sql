-- ar.open_items(as_of): every invoice open on a date, with its open amount as of
-- that date. The one definition of "open amount" that every view uses:
--   open_amount = amount + debit memos - credit memos - write-offs - payments applied,
-- counting only adjustments and payments dated on or before as_of, for invoices
-- dated on or before as_of; only invoices whose open amount is not zero are returned.
-- A payment made after as_of does not reduce as_of's aging.
-- Not STRICT, so that the planner can inline it and push a customer filter
-- down to the indexes; a NULL as_of returns no rows.

-- The definition, for the given invoices only (NULL: all): each part filtered by them,
-- so that the open items of a day's changed invoices read only their own payments and
-- adjustments (the refresh's). With NULL (ar.open_items) the filters fold away when planned.
CREATE OR REPLACE FUNCTION ar._open_items_of(as_of date, invoices text[])
RETURNS TABLE (invoice_id text, customer_id text, invoice_date date, due_date date,
               amount numeric, open_amount numeric, days_past_due integer, currency text)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT i.invoice_id, i.customer_id, i.invoice_date, i.due_date, i.amount,
           i.amount + coalesce(a.net_adjustment, 0) - coalesce(p.paid, 0) AS open_amount,
           ar.days_past_due(i.due_date, as_of) AS days_past_due, i.currency
      FROM ar.invoices i
      LEFT JOIN (SELECT p.invoice_id, sum(p.amount) AS paid
                   FROM ar.payments p
                  WHERE p.invoice_id IS NOT NULL AND p.payment_date <= as_of
                    AND (invoices IS NULL OR p.invoice_id = ANY (invoices))
                  GROUP BY p.invoice_id) p ON p.invoice_id = i.invoice_id
      LEFT JOIN (SELECT a.invoice_id,
                        sum(CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END) AS net_adjustment
                   FROM ar.adjustments a
                  WHERE a.adjustment_date <= as_of
                    AND (invoices IS NULL OR a.invoice_id = ANY (invoices))
                  GROUP BY a.invoice_id) a ON a.invoice_id = i.invoice_id
     WHERE i.invoice_date <= as_of
       AND (invoices IS NULL OR i.invoice_id = ANY (invoices))
       AND i.amount + coalesce(a.net_adjustment, 0) - coalesce(p.paid, 0) <> 0
       -- rejects an infinite as_of (22008) whichever columns the caller reads;
       -- a constant, so the planner checks it once
       AND ar.days_past_due(as_of, as_of) = 0;
END;
COMMENT ON FUNCTION ar._open_items_of(date, text[]) IS 'Internal: ar.open_items(as_of) of the given invoices (NULL: all), with the invoice''s currency.';

CREATE OR REPLACE FUNCTION ar.open_items(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, invoice_date date, due_date date,
               amount numeric, open_amount numeric, days_past_due integer)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT o.invoice_id, o.customer_id, o.invoice_date, o.due_date, o.amount, o.open_amount, o.days_past_due
      FROM ar._open_items_of(as_of, NULL) o;
END;
COMMENT ON FUNCTION ar.open_items(date) IS 'Invoices open as of a date: open_amount = amount + debit memos - credit memos - write-offs - payments, counting only what is dated on or before as_of; days_past_due = as_of - due_date.';

CREATE OR REPLACE FUNCTION ar.unapplied_cash(as_of date)
RETURNS TABLE (customer_id text, unapplied_amount numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT p.customer_id, sum(p.amount)
      FROM ar.payments p
     WHERE p.invoice_id IS NULL AND p.payment_date <= as_of
       AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
     GROUP BY p.customer_id;
END;
COMMENT ON FUNCTION ar.unapplied_cash(date) IS 'Cash received on or before as_of and not applied to any invoice, per customer; it lowers net exposure, not aging.';
