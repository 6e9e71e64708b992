-- ar.paymentstats: the payment-behaviour summary type, the aggregates ar.payment_stats and
-- ar.rollup (V1 C support functions in src/aggregates/payment_stats.rs), the accessors.
------------------------------------------------------------------------------
-- ar.paymentstats
------------------------------------------------------------------------------
-- Types cannot be replaced: created once (a shell first, for the I/O functions), kept after.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_type WHERE typname = 'paymentstats' AND typnamespace = 'ar'::pg_catalog.regnamespace) THEN CREATE TYPE ar.paymentstats; END IF;
END $$;
CREATE OR REPLACE FUNCTION ar.paymentstats_in(cstring) RETURNS ar.paymentstats IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_in';
CREATE OR REPLACE FUNCTION ar.paymentstats_out(ar.paymentstats) RETURNS cstring IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_out';
CREATE OR REPLACE FUNCTION ar.paymentstats_recv(internal) RETURNS ar.paymentstats IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_recv';
CREATE OR REPLACE FUNCTION ar.paymentstats_send(ar.paymentstats) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_send';
DO $$ BEGIN
    IF NOT (SELECT typisdefined FROM pg_catalog.pg_type WHERE typname = 'paymentstats' AND typnamespace = 'ar'::pg_catalog.regnamespace) THEN
        CREATE TYPE ar.paymentstats (
    INPUT = ar.paymentstats_in, OUTPUT = ar.paymentstats_out,
    RECEIVE = ar.paymentstats_recv, SEND = ar.paymentstats_send,
    INTERNALLENGTH = VARIABLE, STORAGE = plain, ALIGNMENT = int4
        );
    END IF;
END $$;
COMMENT ON TYPE ar.paymentstats IS 'Summary of settled items from ar.payment_stats: exact sums from which ADTP, days late, on-time rate and payment index are read. Merge summaries with ar.rollup.';

CREATE OR REPLACE FUNCTION ar.payment_stats_trans(internal, date, date, date, numeric) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_trans';
CREATE OR REPLACE FUNCTION ar.payment_stats_combine(internal, internal) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_combine';
CREATE OR REPLACE FUNCTION ar.payment_stats_serialize(internal) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_serialize';
CREATE OR REPLACE FUNCTION ar.payment_stats_deserialize(bytea, internal) RETURNS internal IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_deserialize';
CREATE OR REPLACE FUNCTION ar.payment_stats_final(internal) RETURNS ar.paymentstats IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_final';
CREATE OR REPLACE FUNCTION ar.payment_stats_rollup_trans(internal, ar.paymentstats) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_rollup_trans';

CREATE OR REPLACE AGGREGATE ar.payment_stats(invoice_date date, due_date date, payment_date date, amount numeric) (
    SFUNC = ar.payment_stats_trans, STYPE = internal,
    COMBINEFUNC = ar.payment_stats_combine,
    SERIALFUNC = ar.payment_stats_serialize, DESERIALFUNC = ar.payment_stats_deserialize,
    FINALFUNC = ar.payment_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.payment_stats(date, date, date, numeric) IS 'Payment behaviour over settled items (one row per payment application; rows with NULL payment_date or amount are skipped) -> ar.paymentstats. Read it with ar.adtp, ar.adtp_weighted, ar.avg_days_late, ar.on_time_rate, ar.payment_index, ...';

CREATE OR REPLACE AGGREGATE ar.rollup(ar.paymentstats) (
    SFUNC = ar.payment_stats_rollup_trans, STYPE = internal,
    COMBINEFUNC = ar.payment_stats_combine,
    SERIALFUNC = ar.payment_stats_serialize, DESERIALFUNC = ar.payment_stats_deserialize,
    FINALFUNC = ar.payment_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.rollup(ar.paymentstats) IS 'Merge payment summaries (e.g. per-customer into portfolio); identical to one pass over all their rows.';

CREATE OR REPLACE FUNCTION ar.adtp(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_adtp';
CREATE OR REPLACE FUNCTION ar.adtp_weighted(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_adtp_weighted';
CREATE OR REPLACE FUNCTION ar.avg_days_late(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_late';
CREATE OR REPLACE FUNCTION ar.avg_days_late_weighted(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_late_weighted';
CREATE OR REPLACE FUNCTION ar.avg_days_beyond_terms(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_beyond_terms';
CREATE OR REPLACE FUNCTION ar.avg_days_beyond_terms_weighted(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_beyond_terms_weighted';
CREATE OR REPLACE FUNCTION ar.on_time_rate(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_on_time_rate';
CREATE OR REPLACE FUNCTION ar.payment_index(s ar.paymentstats) RETURNS integer IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_payment_index';
CREATE OR REPLACE FUNCTION ar.item_count(s ar.paymentstats) RETURNS bigint IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_item_count';
CREATE OR REPLACE FUNCTION ar.amount(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_amount';
CREATE OR REPLACE FUNCTION ar.first_payment_date(s ar.paymentstats) RETURNS date IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_first_payment_date';
CREATE OR REPLACE FUNCTION ar.last_payment_date(s ar.paymentstats) RETURNS date IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_last_payment_date';
COMMENT ON FUNCTION ar.adtp(ar.paymentstats) IS 'Average days to pay: simple mean of payment_date - invoice_date; NULL without items.';
COMMENT ON FUNCTION ar.adtp_weighted(ar.paymentstats) IS 'Amount-weighted average days to pay: sum(amount * (payment_date - invoice_date)) / sum(amount).';
COMMENT ON FUNCTION ar.avg_days_late(ar.paymentstats) IS 'Simple mean of max(0, payment_date - due_date).';
COMMENT ON FUNCTION ar.avg_days_late_weighted(ar.paymentstats) IS 'Amount-weighted mean of max(0, payment_date - due_date) (early counts as 0).';
COMMENT ON FUNCTION ar.avg_days_beyond_terms(ar.paymentstats) IS 'Simple mean of payment_date - due_date (early payments negative).';
COMMENT ON FUNCTION ar.avg_days_beyond_terms_weighted(ar.paymentstats) IS 'Amount-weighted mean of payment_date - due_date (early payments negative).';
COMMENT ON FUNCTION ar.on_time_rate(ar.paymentstats) IS 'Share (0-1) of items paid on or before their due date.';
COMMENT ON FUNCTION ar.payment_index(ar.paymentstats) IS 'ar.payment_index(ar.avg_days_beyond_terms_weighted(s)).';
COMMENT ON FUNCTION ar.item_count(ar.paymentstats) IS 'Number of settled items counted.';
COMMENT ON FUNCTION ar.amount(ar.paymentstats) IS 'Total amount of the settled items counted.';
COMMENT ON FUNCTION ar.first_payment_date(ar.paymentstats) IS 'Earliest payment date counted; NULL without items.';
COMMENT ON FUNCTION ar.last_payment_date(ar.paymentstats) IS 'Latest payment date counted; NULL without items.';
