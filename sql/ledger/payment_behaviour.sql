-- A customer's payment behaviour as of a date: the one definition of the payment
-- summaries that customer health, early warnings and the cash forecast read
-- (docs/metrics.md, "Payment behaviour"; docs/currency.md for the amounts).

-- The payments the payment behaviour reads: applied payments dated in (since, as_of]
-- and not reversed by as_of (a reversed payment paid nothing from its reversal date on),
-- with their invoice's dates and the amount in the customer's currency: a payment on an
-- invoice in another currency converts at its payment date (a flow), so a customer
-- invoiced in EUR and USD is not weighted by a sum of euros and dollars.
-- customers: only theirs (NULL: every customer's). The refresh recomputes the customers
-- its date moved (ar._store_customer_health): their payments are filtered in the scan of
-- the payments, not after the join with the invoices (a payment's customer is its
-- invoice's: payments_invoice_of_customer). Full scale, the 23,260 customers a day moved:
-- 2.6 s -> 2.2 s (warm). Inlined into its two readers below.
CREATE OR REPLACE FUNCTION ar._behaviour_payments(since date, as_of date, customers text[])
RETURNS TABLE (customer_id text, invoice_date date, due_date date, payment_date date, amount numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT i.customer_id, i.invoice_date, i.due_date, p.payment_date,
           CASE WHEN i.currency = c.currency THEN p.amount ELSE ar.convert(p.amount, i.currency, c.currency, p.payment_date) END
      FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
      JOIN ar.customers c ON c.customer_id = i.customer_id
     WHERE p.payment_date > since AND p.payment_date <= as_of
       AND (p.reversed_on IS NULL OR p.reversed_on > as_of)
       AND (customers IS NULL OR p.customer_id = ANY (customers))
       AND (customers IS NULL OR i.customer_id = ANY (customers));
END;
COMMENT ON FUNCTION ar._behaviour_payments(date, date, text[]) IS 'Internal: the applied payments dated in (since, as_of] and not reversed by as_of, of the given customers (NULL: all), with their invoice''s dates and the amount in the customer''s currency (another invoice currency at the payment date''s rate): what the payment behaviour summarizes.';

-- Per customer, ar.payment_stats over the payments of the 12 months up to as_of
-- (payment_date in (as_of - 365, as_of]), of the last 90 days (as_of - 90, as_of] and of
-- the 9 months before them (as_of - 365, as_of - 90].
CREATE OR REPLACE FUNCTION ar._payment_behaviour_at(as_of date, customers text[])
RETURNS TABLE (customer_id text, s12 ar.paymentstats, s90 ar.paymentstats, before_90d ar.paymentstats)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT b.customer_id,
           ar.payment_stats(b.invoice_date, b.due_date, b.payment_date, b.amount),
           ar.payment_stats(b.invoice_date, b.due_date, b.payment_date, b.amount) FILTER (WHERE b.payment_date > as_of - 90),
           ar.payment_stats(b.invoice_date, b.due_date, b.payment_date, b.amount) FILTER (WHERE b.payment_date <= as_of - 90)
      FROM ar._behaviour_payments(as_of - 365, as_of, customers) b
     GROUP BY b.customer_id;
END;
COMMENT ON FUNCTION ar._payment_behaviour_at(date, text[]) IS 'Internal: per customer (of customers; NULL: all), payment stats of the 12 months, the last 90 days and the 9 months before them up to a date, amounts in the customer''s currency (a payment on an invoice in another currency at its payment date''s rate); reversed payments left out from their reversal date (ar._behaviour_payments).';

-- The part of the payment behaviour as of as_of that moves when the date moves from prev
-- for a customer whose payments only cross the 90-day bound (dated in (prev - 90, as_of -
-- 90]: from the last 90 days into the 9 months before them; none dated in (prev, as_of],
-- leaving the 12 months or reversed in (prev, as_of]: ar._payments_shifted_by_date): its
-- 90-day summary (s90) as of as_of, and the summary of the payments that crossed
-- (crossed). Its 12-month summary is the same on both dates, and its 9 months before the
-- 90 days are those of prev with the crossed payments: ar.rollup of the two, which is
-- one pass over their rows (docs/metrics.md). The refresh keeps such a customer's stored
-- summaries so (ar._store_customer_health), reading 90 days of its payments instead of 12
-- months. Customers without a payment in (prev - 90, as_of]: no row (nothing moved).
CREATE OR REPLACE FUNCTION ar._payment_behaviour_shifted(prev date, as_of date, customers text[])
RETURNS TABLE (customer_id text, s90 ar.paymentstats, crossed ar.paymentstats)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT b.customer_id,
           ar.payment_stats(b.invoice_date, b.due_date, b.payment_date, b.amount) FILTER (WHERE b.payment_date > as_of - 90),
           ar.payment_stats(b.invoice_date, b.due_date, b.payment_date, b.amount) FILTER (WHERE b.payment_date <= as_of - 90)
      FROM ar._behaviour_payments(prev - 90, as_of, customers) b
     GROUP BY b.customer_id;
END;
COMMENT ON FUNCTION ar._payment_behaviour_shifted(date, date, text[]) IS 'Internal: per customer (of customers), the payment stats of the last 90 days up to as_of and of the payments that crossed from the 90 days into the 9 months before them as the date moved from prev to as_of (dated in (prev - 90, as_of - 90]); for the customers whose payments only crossed that bound (ar._payments_shifted_by_date).';

CREATE OR REPLACE FUNCTION ar._payment_behaviour_at(as_of date)
RETURNS TABLE (customer_id text, s12 ar.paymentstats, s90 ar.paymentstats, before_90d ar.paymentstats)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT b.customer_id, b.s12, b.s90, b.before_90d FROM ar._payment_behaviour_at(as_of, NULL::text[]) b;
END;
COMMENT ON FUNCTION ar._payment_behaviour_at(date) IS 'Internal: ar._payment_behaviour_at(as_of, customers) of every customer.';
