-- Money as text for messages: USD 1,234.50 (no locale: the same on every server).
CREATE OR REPLACE FUNCTION ar._money(amount numeric, currency text) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT currency || ' ' || CASE WHEN amount < 0 THEN '-' ELSE '' END
           || to_char(abs(amount), 'FM9,999,999,999,999,990.00');
END;
COMMENT ON FUNCTION ar._money(numeric, text) IS 'Internal: an amount with its currency code for messages, e.g. USD 1,234.50.';

-- Messages --------------------------------------------------------------------

CREATE OR REPLACE FUNCTION ar.render_message(template text, customer_id text, as_of date) RETURNS text
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cust record;
    vals jsonb;
    parts text[];
    names text[];
    k integer;
    result text;
BEGIN
    IF template IS NULL OR customer_id IS NULL OR as_of IS NULL THEN
        RAISE EXCEPTION 'ar.render_message: template, customer_id and as_of must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'ar.render_message: as_of must be a finite date, got %', as_of USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM ar._check_template(template);
    SELECT c.* INTO cust FROM ar.customers c WHERE c.customer_id = render_message.customer_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ar.render_message: unknown customer %', customer_id USING ERRCODE = 'no_data_found';
    END IF;
    SELECT jsonb_build_object(
               'customer_id', cust.customer_id,
               'customer_name', cust.name,
               'collector', coalesce(cust.collector, ''),
               'currency', cust.currency,
               'as_of', as_of::text,
               'total_past_due', ar._money(coalesce(sum(o.open_amount) FILTER (WHERE o.days_past_due > 0), 0), cust.currency),
               'total_open', ar._money(coalesce(sum(o.open_amount), 0), cust.currency),
               'oldest_days_past_due', coalesce(max(o.days_past_due) FILTER (WHERE o.days_past_due > 0), 0)::text,
               'past_due_count', count(*) FILTER (WHERE o.days_past_due > 0)::text,
               'invoice_numbers', coalesce(string_agg(o.invoice_id, ', ' ORDER BY o.days_past_due DESC, o.invoice_id) FILTER (WHERE o.days_past_due > 0), ''),
               'invoice_lines', coalesce(string_agg(format('#%s due %s, %s days past due, %s open', o.invoice_id, o.due_date, o.days_past_due,
                                                           ar._money(o.open_amount, cust.currency)), chr(10) ORDER BY o.days_past_due DESC, o.invoice_id)
                                         FILTER (WHERE o.days_past_due > 0), ''))
      INTO vals
      -- in the customer's currency: an invoice in another one at as_of's rate (docs/currency.md)
      FROM (SELECT i.invoice_id, i.due_date,
                   CASE WHEN i.currency = cust.currency THEN ar._open_amount(i.invoice_id, render_message.as_of)
                        ELSE ar.convert(ar._open_amount(i.invoice_id, render_message.as_of), i.currency, cust.currency, render_message.as_of) END AS open_amount,
                   ar.days_past_due(i.due_date, render_message.as_of) AS days_past_due
              FROM ar.invoices i
             WHERE i.customer_id = render_message.customer_id AND i.invoice_date <= render_message.as_of) o   -- the customer's invoices only
     WHERE o.open_amount > 0;
    SELECT vals || jsonb_build_object(
               'last_payment_date', coalesce(max(p.payment_date)::text, 'none'),
               'last_payment_amount', ar._money(coalesce(sum(CASE WHEN coalesce(i.currency, cust.currency) = cust.currency THEN p.amount
                                                                  ELSE ar.convert(p.amount, i.currency, cust.currency, p.payment_date) END), 0), cust.currency),
               'last_payment_invoices', coalesce(string_agg(DISTINCT coalesce(p.invoice_id, 'on account'), ', '), ''))
      INTO vals
      FROM ar.payments p LEFT JOIN ar.invoices i ON i.invoice_id = p.invoice_id
     WHERE p.customer_id = render_message.customer_id
       AND p.payment_date = (SELECT max(q.payment_date) FROM ar.payments q
                              WHERE q.customer_id = render_message.customer_id AND q.payment_date <= render_message.as_of);
    -- One pass: the text between placeholders, then each placeholder's value in turn,
    -- so that a value (a customer name, say) is never itself searched for placeholders.
    parts := regexp_split_to_array(template, '\{\{\s*[^{}]*?\s*\}\}');
    names := ARRAY(SELECT m[1] FROM regexp_matches(template, '\{\{\s*([^{}]*?)\s*\}\}', 'g') AS m);
    result := parts[1];
    FOR k IN 1 .. coalesce(cardinality(names), 0) LOOP
        result := result || (vals ->> names[k]) || parts[k + 1];
    END LOOP;
    RETURN result;
END $$;
COMMENT ON FUNCTION ar.render_message(text, text, date) IS 'Fill a message template with a customer''s figures as of a date: {{customer_name}}, {{invoice_numbers}}, {{total_past_due}}, ... (ar.message_placeholders()). An unknown placeholder is an ERROR naming it; an unknown customer is an ERROR.';
