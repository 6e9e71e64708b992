-- Loading from an ERP (docs/loading.md): staging tables that take any CSV as text,
-- the batch log and the rejected rows of ar.sync (sql/sync/sync.sql).
-- The staging tables are emptied by every ar.sync; registered for pg_dump like every
-- table here, so nothing staged is lost by a dump taken in between.

CREATE TABLE ar.stage_customers (
    customer_id        text,
    name               text,
    segment            text,
    collector          text,
    credit_limit       text,
    payment_terms_days text,
    currency           text,
    strategic_value    text
);
COMMENT ON TABLE ar.stage_customers IS 'Staging for ar.customers (all text: \copy any CSV in, then SELECT * FROM ar.sync()). Key customer_id; empty fields take the column defaults (terms 30, currency USD).';
COMMENT ON COLUMN ar.stage_customers.customer_id IS 'Text of ar.customers.customer_id.';
COMMENT ON COLUMN ar.stage_customers.name IS 'Text of ar.customers.name.';
COMMENT ON COLUMN ar.stage_customers.segment IS 'Text of ar.customers.segment.';
COMMENT ON COLUMN ar.stage_customers.collector IS 'Text of ar.customers.collector.';
COMMENT ON COLUMN ar.stage_customers.credit_limit IS 'Text of ar.customers.credit_limit.';
COMMENT ON COLUMN ar.stage_customers.payment_terms_days IS 'Text of ar.customers.payment_terms_days.';
COMMENT ON COLUMN ar.stage_customers.currency IS 'Text of ar.customers.currency.';
COMMENT ON COLUMN ar.stage_customers.strategic_value IS 'Text of ar.customers.strategic_value.';

CREATE TABLE ar.stage_invoices (
    invoice_id   text,
    customer_id  text,
    invoice_date text,
    due_date     text,
    amount       text,
    currency     text,
    status       text,
    void_date    text
);
COMMENT ON TABLE ar.stage_invoices IS 'Staging for ar.invoices. Key invoice_id. Dates YYYY-MM-DD; amount positive with at most 2 decimals; status open (or empty) or void (void_date required: from that date nothing is left open).';
COMMENT ON COLUMN ar.stage_invoices.invoice_id IS 'Text of ar.invoices.invoice_id.';
COMMENT ON COLUMN ar.stage_invoices.customer_id IS 'Text of ar.invoices.customer_id.';
COMMENT ON COLUMN ar.stage_invoices.invoice_date IS 'Text of ar.invoices.invoice_date.';
COMMENT ON COLUMN ar.stage_invoices.due_date IS 'Text of ar.invoices.due_date.';
COMMENT ON COLUMN ar.stage_invoices.amount IS 'Text of ar.invoices.amount.';
COMMENT ON COLUMN ar.stage_invoices.currency IS 'Text of ar.invoices.currency.';
COMMENT ON COLUMN ar.stage_invoices.status IS 'open (or empty) or void.';
COMMENT ON COLUMN ar.stage_invoices.void_date IS 'YYYY-MM-DD: the void takes effect on this date (status void only).';

CREATE TABLE ar.stage_payments (
    source_id     text,
    customer_id   text,
    invoice_id    text,
    payment_date  text,
    amount        text,
    reference     text,
    status        text,
    reversal_date text,
    currency      text
);
COMMENT ON TABLE ar.stage_payments IS 'Staging for ar.payments. Key source_id (the ERP''s payment or application id); invoice_id empty = unapplied cash. status applied (or empty) or reversed (reversal_date required: the invoice is open again from that date).';
COMMENT ON COLUMN ar.stage_payments.source_id IS 'Stable key of the payment in the ERP (ar.payments.source_id).';
COMMENT ON COLUMN ar.stage_payments.customer_id IS 'Text of ar.payments.customer_id.';
COMMENT ON COLUMN ar.stage_payments.invoice_id IS 'Text of ar.payments.invoice_id.';
COMMENT ON COLUMN ar.stage_payments.payment_date IS 'Text of ar.payments.payment_date.';
COMMENT ON COLUMN ar.stage_payments.amount IS 'Text of ar.payments.amount.';
COMMENT ON COLUMN ar.stage_payments.reference IS 'Text of ar.payments.reference.';
COMMENT ON COLUMN ar.stage_payments.status IS 'applied (or empty) or reversed.';
COMMENT ON COLUMN ar.stage_payments.currency IS 'ISO 4217 code of the payment (empty = the invoice''s); a payment in another currency than its invoice is rejected.';
COMMENT ON COLUMN ar.stage_payments.reversal_date IS 'YYYY-MM-DD: the payment is reversed (e.g. a bounced cheque) on this date (status reversed only).';

CREATE TABLE ar.stage_adjustments (
    source_id       text,
    invoice_id      text,
    adjustment_date text,
    amount          text,
    kind            text
);
COMMENT ON TABLE ar.stage_adjustments IS 'Staging for ar.adjustments. Key source_id; kind credit_memo, write_off or debit_memo.';
COMMENT ON COLUMN ar.stage_adjustments.source_id IS 'Stable key of the adjustment in the ERP (ar.adjustments.source_id).';
COMMENT ON COLUMN ar.stage_adjustments.invoice_id IS 'Text of ar.adjustments.invoice_id.';
COMMENT ON COLUMN ar.stage_adjustments.adjustment_date IS 'Text of ar.adjustments.adjustment_date.';
COMMENT ON COLUMN ar.stage_adjustments.amount IS 'Text of ar.adjustments.amount.';
COMMENT ON COLUMN ar.stage_adjustments.kind IS 'Text of ar.adjustments.kind.';

CREATE TABLE ar.sync_batches (
    batch       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label       text,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    run_by      text NOT NULL DEFAULT current_user,
    counts      jsonb
);
COMMENT ON TABLE ar.sync_batches IS 'One row per ar.sync call: label, when, by whom, and per table the rows inserted, updated, unchanged and rejected.';
COMMENT ON COLUMN ar.sync_batches.batch IS 'Generated batch number (ar.sync_rejects.batch).';
COMMENT ON COLUMN ar.sync_batches.label IS 'The batch_label given to ar.sync (e.g. the export''s file date).';
COMMENT ON COLUMN ar.sync_batches.started_at IS 'When the sync started.';
COMMENT ON COLUMN ar.sync_batches.finished_at IS 'When it committed its work.';
COMMENT ON COLUMN ar.sync_batches.run_by IS 'Role that ran it.';
COMMENT ON COLUMN ar.sync_batches.counts IS 'Per table: {"inserted": n, "updated": n, "unchanged": n, "rejected": n}.';

CREATE TABLE ar.sync_rejects (
    batch    bigint NOT NULL REFERENCES ar.sync_batches ON DELETE CASCADE,
    "table"  text NOT NULL,
    row_data jsonb NOT NULL,
    reason   text NOT NULL,
    sqlstate char(5) NOT NULL
);
CREATE INDEX sync_rejects_batch_idx ON ar.sync_rejects (batch);
COMMENT ON TABLE ar.sync_rejects IS 'Every staged row ar.sync refused, with the reason in plain words: fix it in the source and send it again with the next batch.';
COMMENT ON COLUMN ar.sync_rejects.batch IS 'Batch (ar.sync_batches).';
COMMENT ON COLUMN ar.sync_rejects."table" IS 'Target table: customers, invoices, payments or adjustments.';
COMMENT ON COLUMN ar.sync_rejects.row_data IS 'The staged row as it was, every field as text.';
COMMENT ON COLUMN ar.sync_rejects.reason IS 'Why it was refused, naming the field and value.';
COMMENT ON COLUMN ar.sync_rejects.sqlstate IS 'The SQLSTATE the same error would have as a statement: 22007 bad date, 22P02 bad number, 22023 bad code, 23502 missing field, 23503 unknown reference, 23505 duplicate in the batch, 23514 rule broken.';

SELECT pg_catalog.pg_extension_config_dump('ar.stage_customers', '');
SELECT pg_catalog.pg_extension_config_dump('ar.stage_invoices', '');
SELECT pg_catalog.pg_extension_config_dump('ar.stage_payments', '');
SELECT pg_catalog.pg_extension_config_dump('ar.stage_adjustments', '');
SELECT pg_catalog.pg_extension_config_dump('ar.sync_batches', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.sync_batches', 'batch')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump('ar.sync_rejects', '');
