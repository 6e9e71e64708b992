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
