-- Message templates: {{placeholder}} is replaced by ar.render_message.
CREATE OR REPLACE FUNCTION ar.message_placeholders()
RETURNS TABLE (placeholder text, description text)
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT p, d FROM (VALUES
        ('customer_id', 'Account identifier'),
        ('customer_name', 'Account name'),
        ('collector', 'Collector of the account'),
        ('currency', 'Account currency code'),
        ('as_of', 'The as-of date (YYYY-MM-DD)'),
        ('total_past_due', 'Past-due amount with currency, e.g. USD 1,234.50'),
        ('total_open', 'Open amount (past due and not yet due) with currency'),
        ('oldest_days_past_due', 'Days past due of the oldest past-due invoice'),
        ('past_due_count', 'Number of past-due invoices'),
        ('invoice_numbers', 'Past-due invoice numbers, oldest first, comma-separated'),
        ('invoice_lines', 'One line per past-due invoice: number, due date, days past due, open amount'),
        ('last_payment_date', 'Date of the latest payment received (none: "none")'),
        ('last_payment_amount', 'Amount received on that date, with currency'),
        ('last_payment_invoices', 'Invoices that payment was applied to (comma-separated; "on account" for unapplied cash)')
    ) AS v(p, d);
END;
COMMENT ON FUNCTION ar.message_placeholders() IS 'The placeholders a message template may use, as {{name}}.';

-- The first placeholder of a template that ar.render_message does not know, or NULL.
CREATE OR REPLACE FUNCTION ar._unknown_placeholder(template text) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT m[1] FROM regexp_matches(template, '\{\{\s*([^{}]*?)\s*\}\}', 'g') AS m
     WHERE m[1] NOT IN (SELECT p.placeholder FROM ar.message_placeholders() p)
     LIMIT 1;
END;
COMMENT ON FUNCTION ar._unknown_placeholder(text) IS 'Internal: the first {{placeholder}} of a template that is not in ar.message_placeholders(), or NULL.';

CREATE OR REPLACE FUNCTION ar._check_template(template text) RETURNS boolean
IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad text := ar._unknown_placeholder(template);
BEGIN
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown placeholder {{%}} in message template', bad
              USING ERRCODE = 'invalid_parameter_value',
                    HINT = 'Known placeholders: ' || (SELECT string_agg('{{' || p.placeholder || '}}', ', ') FROM ar.message_placeholders() p);
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION ar._check_template(text) IS 'Internal: true, or an ERROR naming the first unknown placeholder of the template.';
