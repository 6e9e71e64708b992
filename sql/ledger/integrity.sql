-- Cash applied plus credits must never exceed an invoice's amount plus debits.
-- Checked once per statement over the invoices it touched (transition tables),
-- so bulk loads stay set-based.
CREATE OR REPLACE FUNCTION ar._check_overapplication() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad record;
BEGIN
    -- One grouped pass over the touched invoices' rows; semi-joins let the planner
    -- use hash joins for bulk loads and index lookups for single rows.
    SELECT x.invoice_id, sum(x.amount) AS amount, sum(x.debits) AS debits, sum(x.credits) AS credits, sum(x.paid) AS paid
      INTO bad
      FROM (SELECT i.invoice_id, i.amount, 0::numeric AS debits, 0::numeric AS credits, 0::numeric AS paid
              FROM ar.invoices i WHERE i.invoice_id IN (SELECT invoice_id FROM changed_rows)
            UNION ALL
            SELECT p.invoice_id, 0, 0, 0, p.amount
              FROM ar.payments p WHERE p.invoice_id IN (SELECT invoice_id FROM changed_rows)
            UNION ALL
            SELECT a.invoice_id, 0, CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE 0 END,
                   CASE WHEN a.kind <> 'debit_memo' THEN a.amount ELSE 0 END, 0
              FROM ar.adjustments a WHERE a.invoice_id IN (SELECT invoice_id FROM changed_rows)) x
     GROUP BY x.invoice_id
    HAVING sum(x.paid) + sum(x.credits) > sum(x.amount) + sum(x.debits)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoice % would be over-applied: payments % plus credits % exceed amount % plus debits %',
              bad.invoice_id, bad.paid, bad.credits, bad.amount, bad.debits
              USING ERRCODE = 'check_violation',
                    HINT = 'Record the excess as unapplied cash (a payment with invoice_id NULL), or add a debit memo first.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._check_overapplication() IS 'Internal trigger: rejects payments and adjustments that would take an invoice''s open amount below zero.';

CREATE OR REPLACE TRIGGER payments_no_overapplication_ins AFTER INSERT ON ar.payments
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_overapplication();
CREATE OR REPLACE TRIGGER payments_no_overapplication_upd AFTER UPDATE ON ar.payments
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_overapplication();
CREATE OR REPLACE TRIGGER adjustments_no_overapplication_ins AFTER INSERT ON ar.adjustments
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_overapplication();
CREATE OR REPLACE TRIGGER adjustments_no_overapplication_upd AFTER UPDATE ON ar.adjustments
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_overapplication();
CREATE OR REPLACE TRIGGER adjustments_no_overapplication_del AFTER DELETE ON ar.adjustments
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_overapplication();
CREATE OR REPLACE TRIGGER invoices_no_overapplication_upd AFTER UPDATE ON ar.invoices
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_overapplication();

-- An invoice, its payments and adjustments are in the invoice's currency; unapplied cash
-- is in the customer's (docs/currency.md). A payment that names another currency is
-- rejected once per statement, set-based like the check above.
CREATE OR REPLACE FUNCTION ar._check_payment_currency() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad record;
BEGIN
    IF TG_TABLE_NAME = 'payments' THEN
        -- (the tables are read only when a row names a currency: a loader that gives none
        -- needs no grant on them, and a bulk load without currencies costs nothing)
        IF NOT EXISTS (SELECT 1 FROM changed_rows p WHERE p.currency IS NOT NULL) THEN
            RETURN NULL;
        END IF;
        SELECT p.payment_id, p.invoice_id, p.currency, i.currency AS expected, 'invoice ' || p.invoice_id AS owner
          INTO bad
          FROM changed_rows p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE p.currency IS NOT NULL AND p.currency <> i.currency
         LIMIT 1;
        IF NOT FOUND AND EXISTS (SELECT 1 FROM changed_rows p WHERE p.currency IS NOT NULL AND p.invoice_id IS NULL) THEN
            SELECT p.payment_id, p.invoice_id, p.currency, c.currency AS expected, 'customer ' || p.customer_id AS owner
              INTO bad
              FROM changed_rows p JOIN ar.customers c ON c.customer_id = p.customer_id
             WHERE p.currency IS NOT NULL AND p.invoice_id IS NULL AND p.currency <> c.currency
             LIMIT 1;
        END IF;
    ELSIF TG_TABLE_NAME = 'invoices' THEN   -- per row, and only rows whose currency changed (the trigger's WHEN)
        SELECT p.payment_id, p.invoice_id, p.currency, NEW.currency AS expected, 'invoice ' || NEW.invoice_id AS owner
          INTO bad
          FROM ar.payments p
         WHERE p.invoice_id = NEW.invoice_id AND p.currency IS NOT NULL AND p.currency <> NEW.currency
         LIMIT 1;
    ELSE   -- customers, likewise: their unapplied cash
        SELECT p.payment_id, p.invoice_id, p.currency, NEW.currency AS expected, 'customer ' || NEW.customer_id AS owner
          INTO bad
          FROM ar.payments p
         WHERE p.customer_id = NEW.customer_id AND p.invoice_id IS NULL AND p.currency IS NOT NULL AND p.currency <> NEW.currency
         LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'payment % is in %, but % is in %', bad.payment_id, bad.currency, bad.owner, bad.expected
              USING ERRCODE = 'check_violation',
                    HINT = 'A payment is in the currency of the invoice it pays (unapplied cash: of its customer). Convert it in the ERP, or record it as unapplied cash of an account in its currency (docs/currency.md).';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._check_payment_currency() IS 'Internal trigger: rejects payments in another currency than their invoice (unapplied cash: than their customer), and currency changes of invoices or customers that would make one.';

CREATE OR REPLACE TRIGGER payments_currency_ins AFTER INSERT ON ar.payments
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_payment_currency();
CREATE OR REPLACE TRIGGER payments_currency_upd AFTER UPDATE ON ar.payments
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._check_payment_currency();
-- Currency changes are rare, the updates of a daily sync are not: row triggers whose WHEN
-- skips every row that keeps its currency (no join of the whole statement's rows).
CREATE OR REPLACE TRIGGER invoices_currency_upd AFTER UPDATE OF currency ON ar.invoices
    FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency) EXECUTE FUNCTION ar._check_payment_currency();
CREATE OR REPLACE TRIGGER customers_currency_upd AFTER UPDATE OF currency ON ar.customers
    FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency) EXECUTE FUNCTION ar._check_payment_currency();
