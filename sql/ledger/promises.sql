-- Promises to pay and their status on a date.
--   paid   = cash applied to the promised invoice (any cash of the customer, applied or
--            not, when the promise names no invoice) from made_on to min(promised_date, as_of)
--   kept   = paid covers the promised amount; broken = not covered and promised_date < as_of;
--   pending = not covered yet and promised_date >= as_of. Promises made after as_of are left out.
CREATE OR REPLACE FUNCTION ar.promise_status(as_of date)
RETURNS TABLE (promise_id text, customer_id text, invoice_id text, made_on date, promised_date date,
               amount numeric, paid numeric, status text)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT pr.promise_id, pr.customer_id, pr.invoice_id, pr.made_on, pr.promised_date, pr.amount, pay.paid,
           CASE WHEN pay.paid >= pr.amount THEN 'kept'
                WHEN pr.promised_date < as_of THEN 'broken'
                ELSE 'pending' END
      FROM ar.promises pr
      CROSS JOIN LATERAL (
          SELECT coalesce(sum(p.amount), 0) AS paid
            FROM ar.payments p
           WHERE p.customer_id = pr.customer_id
             AND (pr.invoice_id IS NULL OR p.invoice_id = pr.invoice_id)
             AND p.payment_date >= pr.made_on
             AND p.payment_date <= least(pr.promised_date, as_of)) pay
     WHERE pr.made_on <= as_of;
END;
COMMENT ON FUNCTION ar.promise_status(date) IS 'Each promise to pay made by as_of with the cash paid against it by its promised date and its status: kept (covered), broken (not covered and past its date) or pending.';
