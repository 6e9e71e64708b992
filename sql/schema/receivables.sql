-- The canonical AR schema: what users load from their ERP.
-- Every table holds user data and is registered with pg_extension_config_dump,
-- so pg_dump keeps its rows. DROP EXTENSION ar_analytics CASCADE drops them too.

CREATE TABLE ar.customers (
    customer_id        text COLLATE "C" PRIMARY KEY,
    name               text NOT NULL,
    segment            text,
    collector          text,
    credit_limit       numeric(18,2) CHECK (credit_limit >= 0),
    payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days >= 0),
    currency           char(3) NOT NULL DEFAULT 'USD',
    strategic_value    numeric CHECK (strategic_value >= 0 AND strategic_value <> 'NaN')
);
COMMENT ON TABLE ar.customers IS 'Customers (accounts) with their credit terms. One row per account.';
COMMENT ON COLUMN ar.customers.customer_id IS 'Account identifier from the ERP.';
COMMENT ON COLUMN ar.customers.name IS 'Account name.';
COMMENT ON COLUMN ar.customers.segment IS 'Business segment used to group reports (e.g. enterprise, mid-market, smb).';
COMMENT ON COLUMN ar.customers.collector IS 'Collector responsible for the account.';
COMMENT ON COLUMN ar.customers.credit_limit IS 'Credit limit in the account currency; NULL = no limit set.';
COMMENT ON COLUMN ar.customers.payment_terms_days IS 'Standard payment terms in days (Net N).';
COMMENT ON COLUMN ar.customers.currency IS 'ISO 4217 currency code of the account.';
COMMENT ON COLUMN ar.customers.strategic_value IS 'Relative strategic value of the account (non-negative; higher = more important), used by collections prioritisation.';

CREATE TABLE ar.invoices (
    invoice_id   text COLLATE "C" PRIMARY KEY,
    customer_id  text COLLATE "C" NOT NULL REFERENCES ar.customers,
    invoice_date date NOT NULL,
    due_date     date NOT NULL,
    amount       numeric(18,2) NOT NULL,
    currency     char(3) NOT NULL DEFAULT 'USD',
    CONSTRAINT invoices_amount_positive CHECK (amount > 0),
    CONSTRAINT invoices_due_not_before_invoice CHECK (due_date >= invoice_date),
    CONSTRAINT invoices_dates_finite CHECK (isfinite(invoice_date) AND isfinite(due_date)),
    CONSTRAINT invoices_id_customer_key UNIQUE (invoice_id, customer_id)
);
CREATE INDEX invoices_customer_idx ON ar.invoices (customer_id, invoice_date);
CREATE INDEX invoices_due_idx ON ar.invoices (due_date);
COMMENT ON TABLE ar.invoices IS 'Invoices (credit sales). The open amount as of a date comes from ar.open_items(as_of).';
COMMENT ON COLUMN ar.invoices.invoice_id IS 'Invoice number from the ERP.';
COMMENT ON COLUMN ar.invoices.customer_id IS 'Account invoiced.';
COMMENT ON COLUMN ar.invoices.invoice_date IS 'Date the invoice was issued.';
COMMENT ON COLUMN ar.invoices.due_date IS 'Date payment is due (on or after invoice_date).';
COMMENT ON COLUMN ar.invoices.amount IS 'Invoiced amount (positive).';
COMMENT ON COLUMN ar.invoices.currency IS 'ISO 4217 currency code of the invoice.';

CREATE TABLE ar.payments (
    payment_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  text COLLATE "C" NOT NULL REFERENCES ar.customers,
    invoice_id   text COLLATE "C",
    payment_date date NOT NULL,
    amount       numeric(18,2) NOT NULL,
    reference    text,
    source_id    text COLLATE "C",
    reversed_on  date,
    currency     char(3),
    CONSTRAINT payments_amount_positive CHECK (amount > 0),
    CONSTRAINT payments_date_finite CHECK (isfinite(payment_date)),
    CONSTRAINT payments_invoice_of_customer FOREIGN KEY (invoice_id, customer_id) REFERENCES ar.invoices (invoice_id, customer_id),
    CONSTRAINT payments_reversed_after_payment CHECK (reversed_on >= payment_date)
);
CREATE INDEX payments_invoice_idx ON ar.payments (invoice_id, payment_date);
-- source keys are unique where given (a portfolio loaded without them indexes nothing)
CREATE UNIQUE INDEX payments_source_id_key ON ar.payments (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX payments_customer_idx ON ar.payments (customer_id, payment_date);
COMMENT ON TABLE ar.payments IS 'Cash applications: one row per application of cash to an invoice (a partial payment is a row for part of the amount). invoice_id NULL = unapplied cash, which lowers the customer''s net exposure but not the aging of any invoice. Applications beyond an invoice''s open amount are rejected.';
COMMENT ON COLUMN ar.payments.payment_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.payments.customer_id IS 'Paying account; must own the invoice paid.';
COMMENT ON COLUMN ar.payments.invoice_id IS 'Invoice the cash is applied to; NULL = unapplied cash on account.';
COMMENT ON COLUMN ar.payments.payment_date IS 'Date the cash was received.';
COMMENT ON COLUMN ar.payments.amount IS 'Amount applied (positive).';
COMMENT ON COLUMN ar.payments.reference IS 'Remittance or bank reference.';
COMMENT ON COLUMN ar.payments.source_id IS 'Stable key of the payment in the source system (ERP): ar.sync upserts on it, so a re-sent payment updates its row instead of adding one. NULL for rows loaded without one.';
COMMENT ON COLUMN ar.payments.currency IS 'ISO 4217 code of the payment as the ERP gave it; NULL = the currency of the invoice paid (of the customer for unapplied cash). A payment in another currency than its invoice (or than its customer, when unapplied) is rejected: convert it in the ERP first (docs/currency.md).';
COMMENT ON COLUMN ar.payments.reversed_on IS 'Date the payment was reversed (a bounced cheque, a returned transfer); NULL = not reversed. Payment behaviour (ADTP, days late, on-time rate, payment index) counts the payment only as of dates before it. The balance effect is the debit memo reversal:<source_id> that ar.sync writes with it (docs/loading.md).';

CREATE TABLE ar.adjustments (
    adjustment_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id      text COLLATE "C" NOT NULL REFERENCES ar.invoices,
    adjustment_date date NOT NULL,
    amount          numeric(18,2) NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('credit_memo', 'write_off', 'debit_memo')),
    source_id       text COLLATE "C",
    CONSTRAINT adjustments_amount_positive CHECK (amount > 0),
    CONSTRAINT adjustments_date_finite CHECK (isfinite(adjustment_date))
);
CREATE INDEX adjustments_invoice_idx ON ar.adjustments (invoice_id, adjustment_date);
CREATE UNIQUE INDEX adjustments_source_id_key ON ar.adjustments (source_id) WHERE source_id IS NOT NULL;
COMMENT ON TABLE ar.adjustments IS 'Credit memos and write-offs lower an invoice''s open amount; debit memos raise it. Amounts are positive; kind gives the direction.';
COMMENT ON COLUMN ar.adjustments.adjustment_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.adjustments.invoice_id IS 'Invoice adjusted.';
COMMENT ON COLUMN ar.adjustments.adjustment_date IS 'Date the adjustment takes effect.';
COMMENT ON COLUMN ar.adjustments.amount IS 'Adjustment amount (positive).';
COMMENT ON COLUMN ar.adjustments.kind IS 'credit_memo or write_off (lower the open amount) or debit_memo (raises it).';
COMMENT ON COLUMN ar.adjustments.source_id IS 'Stable key of the adjustment in the source system: ar.sync upserts on it. ar.sync writes voids as void:<invoice_id> (a credit of what is left open) and payment reversals as reversal:<payment source_id> (a debit memo of the payment amount).';

CREATE TABLE ar.disputes (
    dispute_id        text COLLATE "C" PRIMARY KEY,
    invoice_id        text COLLATE "C" NOT NULL REFERENCES ar.invoices,
    opened_at         timestamptz NOT NULL,
    first_response_at timestamptz,
    resolved_at       timestamptz,
    amount            numeric(18,2) CHECK (amount > 0),
    reason            text,
    CONSTRAINT disputes_response_after_open CHECK (first_response_at >= opened_at),
    CONSTRAINT disputes_resolved_after_open CHECK (resolved_at >= opened_at)
);
CREATE INDEX disputes_invoice_idx ON ar.disputes (invoice_id);
COMMENT ON TABLE ar.disputes IS 'Disputes raised on invoices, with response and resolution times.';
COMMENT ON COLUMN ar.disputes.dispute_id IS 'Dispute identifier.';
COMMENT ON COLUMN ar.disputes.invoice_id IS 'Invoice disputed.';
COMMENT ON COLUMN ar.disputes.opened_at IS 'When the customer raised the dispute.';
COMMENT ON COLUMN ar.disputes.first_response_at IS 'When the first response was sent; NULL = not answered yet.';
COMMENT ON COLUMN ar.disputes.resolved_at IS 'When the dispute was resolved; NULL = open.';
COMMENT ON COLUMN ar.disputes.amount IS 'Amount disputed; NULL = the whole invoice.';
COMMENT ON COLUMN ar.disputes.reason IS 'Reason given (pricing, quantity, quality, ...).';

CREATE TABLE ar.promises (
    promise_id    text COLLATE "C" PRIMARY KEY,
    customer_id   text COLLATE "C" NOT NULL REFERENCES ar.customers,
    invoice_id    text COLLATE "C" REFERENCES ar.invoices,
    made_on       date NOT NULL,
    promised_date date NOT NULL,
    amount        numeric(18,2) NOT NULL CHECK (amount > 0),
    CONSTRAINT promises_date_order CHECK (promised_date >= made_on)
);
CREATE INDEX promises_customer_idx ON ar.promises (customer_id, promised_date);
-- the foreign key's side: deleting or re-keying an invoice looks its promises up here
CREATE INDEX promises_invoice_idx ON ar.promises (invoice_id);
COMMENT ON TABLE ar.promises IS 'Promises to pay made by customers to collectors.';
COMMENT ON COLUMN ar.promises.promise_id IS 'Promise identifier.';
COMMENT ON COLUMN ar.promises.customer_id IS 'Account that promised.';
COMMENT ON COLUMN ar.promises.invoice_id IS 'Invoice the promise covers; NULL = the account in general.';
COMMENT ON COLUMN ar.promises.made_on IS 'Date the promise was made.';
COMMENT ON COLUMN ar.promises.promised_date IS 'Date by which payment was promised.';
COMMENT ON COLUMN ar.promises.amount IS 'Amount promised.';

CREATE TABLE ar.order_holds (
    hold_id     text COLLATE "C" PRIMARY KEY,
    customer_id text COLLATE "C" NOT NULL REFERENCES ar.customers,
    placed_at   timestamptz NOT NULL,
    released_at timestamptz,
    reason      text,
    CONSTRAINT order_holds_release_after_place CHECK (released_at >= placed_at)
);
CREATE INDEX order_holds_customer_idx ON ar.order_holds (customer_id);
COMMENT ON TABLE ar.order_holds IS 'Credit holds placed on new orders of an account.';
COMMENT ON COLUMN ar.order_holds.hold_id IS 'Hold identifier.';
COMMENT ON COLUMN ar.order_holds.customer_id IS 'Account on hold.';
COMMENT ON COLUMN ar.order_holds.placed_at IS 'When the hold was placed.';
COMMENT ON COLUMN ar.order_holds.released_at IS 'When the hold was released; NULL = still on hold.';
COMMENT ON COLUMN ar.order_holds.reason IS 'Why the hold was placed.';

CREATE TABLE ar.activities (
    activity_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id text COLLATE "C" NOT NULL REFERENCES ar.customers,
    invoice_id  text COLLATE "C",
    happened_at timestamptz NOT NULL,
    channel     text,
    action      text NOT NULL,
    outcome     text,
    collector   text,
    source_id   text COLLATE "C"
);
CREATE UNIQUE INDEX activities_source_id_key ON ar.activities (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX activities_customer_idx ON ar.activities (customer_id, happened_at);
COMMENT ON TABLE ar.activities IS 'The collections log: every touch (email, call, letter) and its outcome.';
COMMENT ON COLUMN ar.activities.activity_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.activities.customer_id IS 'Account contacted.';
COMMENT ON COLUMN ar.activities.invoice_id IS 'Invoice concerned, if any.';
COMMENT ON COLUMN ar.activities.happened_at IS 'When the activity took place.';
COMMENT ON COLUMN ar.activities.channel IS 'email, phone, letter, ...';
COMMENT ON COLUMN ar.activities.action IS 'What was done (reminder, call, escalation, ...).';
COMMENT ON COLUMN ar.activities.outcome IS 'Result (no answer, promise, dispute, paid, ...).';
COMMENT ON COLUMN ar.activities.collector IS 'Collector who acted.';
COMMENT ON COLUMN ar.activities.source_id IS 'Stable key of the activity in the source system (NULL = none): loading the same activity twice is refused.';

-- pg_dump keeps the rows of every table, and the identity sequences' positions.
SELECT pg_catalog.pg_extension_config_dump('ar.customers', '');
SELECT pg_catalog.pg_extension_config_dump('ar.invoices', '');
SELECT pg_catalog.pg_extension_config_dump('ar.payments', '');
SELECT pg_catalog.pg_extension_config_dump('ar.adjustments', '');
SELECT pg_catalog.pg_extension_config_dump('ar.disputes', '');
SELECT pg_catalog.pg_extension_config_dump('ar.promises', '');
SELECT pg_catalog.pg_extension_config_dump('ar.order_holds', '');
SELECT pg_catalog.pg_extension_config_dump('ar.activities', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.payments', 'payment_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.adjustments', 'adjustment_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.activities', 'activity_id')::regclass, '');
