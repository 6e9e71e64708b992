-- Summary types, two-step aggregates and accessors (V1 C functions in src/aggregates/).
-- Definitions: docs/metrics.md.

COMMENT ON SCHEMA ar IS 'ar_analytics: accounts-receivable tables, metrics, aggregates and views';

COMMENT ON FUNCTION ar.days_past_due(date, date) IS 'Days past due: as_of - due_date (negative = days until due). Infinite dates are an error.';
COMMENT ON FUNCTION ar.aging_bucket(integer) IS 'Standard aging bucket of a days-past-due figure: current (<= 0), 1-30, 31-60, 61-90, 91-120, 121+ (upper bounds inclusive).';
COMMENT ON FUNCTION ar.aging_bucket(integer, integer[]) IS 'Aging bucket for 1 to 12 ascending, inclusive, positive upper bounds, e.g. {15,45} gives current, 1-15, 16-45, 46+.';
COMMENT ON FUNCTION ar.dso(numeric, numeric, integer) IS 'Days sales outstanding = receivables * period_days / credit_sales; NULL when credit_sales = 0.';
COMMENT ON FUNCTION ar.bpdso(numeric, numeric, integer) IS 'Best possible DSO = current (not past due) receivables * period_days / credit_sales; NULL when credit_sales = 0.';
COMMENT ON FUNCTION ar.average_days_delinquent(numeric, numeric) IS 'Average days delinquent (ADD) = DSO - BPDSO.';
COMMENT ON FUNCTION ar.dso_countback(numeric, numeric[], integer[]) IS 'Countback DSO: sales[1] is the most recent period of days[1] days (30 when days is NULL); whole periods are counted back while receivables cover their sales, then the fraction of the next. Receivables beyond all sales give the total days.';
COMMENT ON FUNCTION ar.cei(numeric, numeric, numeric, numeric) IS 'Collection effectiveness index, percent = (begin + sales - end) / (begin + sales - end current) * 100; NULL when the denominator is 0.';
COMMENT ON FUNCTION ar.payment_index(numeric) IS '0-100 payment score of amount-weighted days beyond terms: 100 = 30+ days early, 80 = on time, 50 = 30 days late, 20 = 120+ days late; linear between anchors, rounded.';
COMMENT ON FUNCTION ar._demo_uniform(bigint, bigint, bigint) IS 'Internal: deterministic uniform [0,1) used by ar.generate_demo.';

CREATE FUNCTION ar.add(dso numeric, bpdso numeric) RETURNS numeric
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN ar.average_days_delinquent(dso, bpdso);
COMMENT ON FUNCTION ar.add(numeric, numeric) IS 'Alias of ar.average_days_delinquent (ADD = DSO - BPDSO); not an addition.';

------------------------------------------------------------------------------
-- ar.paymentstats
------------------------------------------------------------------------------
CREATE TYPE ar.paymentstats;
CREATE FUNCTION ar.paymentstats_in(cstring) RETURNS ar.paymentstats IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_in';
CREATE FUNCTION ar.paymentstats_out(ar.paymentstats) RETURNS cstring IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_out';
CREATE FUNCTION ar.paymentstats_recv(internal) RETURNS ar.paymentstats IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_recv';
CREATE FUNCTION ar.paymentstats_send(ar.paymentstats) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_paymentstats_send';
CREATE TYPE ar.paymentstats (
    INPUT = ar.paymentstats_in, OUTPUT = ar.paymentstats_out,
    RECEIVE = ar.paymentstats_recv, SEND = ar.paymentstats_send,
    INTERNALLENGTH = VARIABLE, STORAGE = plain, ALIGNMENT = int4
);
COMMENT ON TYPE ar.paymentstats IS 'Summary of settled items from ar.payment_stats: exact sums from which ADTP, days late, on-time rate and payment index are read. Merge summaries with ar.rollup.';

CREATE FUNCTION ar.payment_stats_trans(internal, date, date, date, numeric) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_trans';
CREATE FUNCTION ar.payment_stats_combine(internal, internal) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_combine';
CREATE FUNCTION ar.payment_stats_serialize(internal) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_serialize';
CREATE FUNCTION ar.payment_stats_deserialize(bytea, internal) RETURNS internal IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_deserialize';
CREATE FUNCTION ar.payment_stats_final(internal) RETURNS ar.paymentstats IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_final';
CREATE FUNCTION ar.payment_stats_rollup_trans(internal, ar.paymentstats) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_payment_stats_rollup_trans';

CREATE AGGREGATE ar.payment_stats(invoice_date date, due_date date, payment_date date, amount numeric) (
    SFUNC = ar.payment_stats_trans, STYPE = internal,
    COMBINEFUNC = ar.payment_stats_combine,
    SERIALFUNC = ar.payment_stats_serialize, DESERIALFUNC = ar.payment_stats_deserialize,
    FINALFUNC = ar.payment_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.payment_stats(date, date, date, numeric) IS 'Payment behaviour over settled items (one row per payment application; rows with NULL payment_date or amount are skipped) -> ar.paymentstats. Read it with ar.adtp, ar.adtp_weighted, ar.avg_days_late, ar.on_time_rate, ar.payment_index, ...';

CREATE AGGREGATE ar.rollup(ar.paymentstats) (
    SFUNC = ar.payment_stats_rollup_trans, STYPE = internal,
    COMBINEFUNC = ar.payment_stats_combine,
    SERIALFUNC = ar.payment_stats_serialize, DESERIALFUNC = ar.payment_stats_deserialize,
    FINALFUNC = ar.payment_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.rollup(ar.paymentstats) IS 'Merge payment summaries (e.g. per-customer into portfolio); identical to one pass over all their rows.';

CREATE FUNCTION ar.adtp(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_adtp';
CREATE FUNCTION ar.adtp_weighted(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_adtp_weighted';
CREATE FUNCTION ar.avg_days_late(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_late';
CREATE FUNCTION ar.avg_days_late_weighted(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_late_weighted';
CREATE FUNCTION ar.avg_days_beyond_terms(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_beyond_terms';
CREATE FUNCTION ar.avg_days_beyond_terms_weighted(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_avg_days_beyond_terms_weighted';
CREATE FUNCTION ar.on_time_rate(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_on_time_rate';
CREATE FUNCTION ar.payment_index(s ar.paymentstats) RETURNS integer IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_payment_index';
CREATE FUNCTION ar.item_count(s ar.paymentstats) RETURNS bigint IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_item_count';
CREATE FUNCTION ar.amount(s ar.paymentstats) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_amount';
CREATE FUNCTION ar.first_payment_date(s ar.paymentstats) RETURNS date IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_first_payment_date';
CREATE FUNCTION ar.last_payment_date(s ar.paymentstats) RETURNS date IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ps_last_payment_date';
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

------------------------------------------------------------------------------
-- ar.agingsummary
------------------------------------------------------------------------------
CREATE TYPE ar.agingsummary;
CREATE FUNCTION ar.agingsummary_in(cstring) RETURNS ar.agingsummary IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_in';
CREATE FUNCTION ar.agingsummary_out(ar.agingsummary) RETURNS cstring IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_out';
CREATE FUNCTION ar.agingsummary_recv(internal) RETURNS ar.agingsummary IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_recv';
CREATE FUNCTION ar.agingsummary_send(ar.agingsummary) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_send';
CREATE TYPE ar.agingsummary (
    INPUT = ar.agingsummary_in, OUTPUT = ar.agingsummary_out,
    RECEIVE = ar.agingsummary_recv, SEND = ar.agingsummary_send,
    INTERNALLENGTH = VARIABLE, STORAGE = plain, ALIGNMENT = int4
);
COMMENT ON TYPE ar.agingsummary IS 'Amounts and counts per aging bucket from ar.aging. Read with ar.bucket_amount, ar.bucket_count, ar.total, ar.past_due, ar.buckets.';

CREATE FUNCTION ar.aging_trans(internal, numeric, integer) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_trans';
CREATE FUNCTION ar.aging_bounds_trans(internal, numeric, integer, integer[]) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_bounds_trans';
CREATE FUNCTION ar.aging_combine(internal, internal) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_combine';
CREATE FUNCTION ar.aging_serialize(internal) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_serialize';
CREATE FUNCTION ar.aging_deserialize(bytea, internal) RETURNS internal IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_deserialize';
CREATE FUNCTION ar.aging_final(internal) RETURNS ar.agingsummary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_final';
CREATE FUNCTION ar.aging_bounds_final(internal) RETURNS ar.agingsummary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_bounds_final';
CREATE FUNCTION ar.aging_rollup_trans(internal, ar.agingsummary) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_rollup_trans';

CREATE AGGREGATE ar.aging(open_amount numeric, days_past_due integer) (
    SFUNC = ar.aging_trans, STYPE = internal,
    COMBINEFUNC = ar.aging_combine,
    SERIALFUNC = ar.aging_serialize, DESERIALFUNC = ar.aging_deserialize,
    FINALFUNC = ar.aging_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.aging(numeric, integer) IS 'Open amounts by standard aging bucket (current, 1-30, 31-60, 61-90, 91-120, 121+) -> ar.agingsummary. Rows with a NULL amount are skipped.';
CREATE AGGREGATE ar.aging(open_amount numeric, days_past_due integer, bounds integer[]) (
    SFUNC = ar.aging_bounds_trans, STYPE = internal,
    COMBINEFUNC = ar.aging_combine,
    SERIALFUNC = ar.aging_serialize, DESERIALFUNC = ar.aging_deserialize,
    FINALFUNC = ar.aging_bounds_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.aging(numeric, integer, integer[]) IS 'Open amounts by user-defined aging buckets (same bounds on every row) -> ar.agingsummary; NULL without rows.';
CREATE AGGREGATE ar.rollup(ar.agingsummary) (
    SFUNC = ar.aging_rollup_trans, STYPE = internal,
    COMBINEFUNC = ar.aging_combine,
    SERIALFUNC = ar.aging_serialize, DESERIALFUNC = ar.aging_deserialize,
    FINALFUNC = ar.aging_bounds_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.rollup(ar.agingsummary) IS 'Merge aging summaries with the same bounds; identical to one pass over all their rows.';

CREATE FUNCTION ar.bucket_amount(s ar.agingsummary, bucket text) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bucket_amount';
CREATE FUNCTION ar.bucket_count(s ar.agingsummary, bucket text) RETURNS bigint IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bucket_count';
CREATE FUNCTION ar.total(s ar.agingsummary) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_total';
CREATE FUNCTION ar.past_due(s ar.agingsummary) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_past_due';
CREATE FUNCTION ar.item_count(s ar.agingsummary) RETURNS bigint IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_item_count';
CREATE FUNCTION ar.bucket_labels(s ar.agingsummary) RETURNS text[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bucket_labels';
CREATE FUNCTION ar.bounds(s ar.agingsummary) RETURNS integer[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bounds';
COMMENT ON FUNCTION ar.bucket_amount(ar.agingsummary, text) IS 'Open amount in the named bucket (e.g. ''31-60''); an unknown name is an error listing the valid ones.';
COMMENT ON FUNCTION ar.bucket_count(ar.agingsummary, text) IS 'Number of items in the named bucket.';
COMMENT ON FUNCTION ar.total(ar.agingsummary) IS 'Total open amount over all buckets (equals the sum of the inputs exactly).';
COMMENT ON FUNCTION ar.past_due(ar.agingsummary) IS 'Open amount in every bucket but current.';
COMMENT ON FUNCTION ar.item_count(ar.agingsummary) IS 'Number of items over all buckets.';
COMMENT ON FUNCTION ar.bucket_labels(ar.agingsummary) IS 'Bucket names in order, current first.';
COMMENT ON FUNCTION ar.bounds(ar.agingsummary) IS 'The inclusive upper bounds that define the buckets.';

CREATE FUNCTION ar.buckets(s ar.agingsummary, OUT bucket text, OUT amount numeric, OUT item_count bigint, OUT ordinal integer)
    RETURNS SETOF record IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    BEGIN ATOMIC
        SELECT l.bucket, ar.bucket_amount(s, l.bucket), ar.bucket_count(s, l.bucket), l.ord::integer
          FROM unnest(ar.bucket_labels(s)) WITH ORDINALITY AS l(bucket, ord)
         ORDER BY l.ord;
    END;
COMMENT ON FUNCTION ar.buckets(ar.agingsummary) IS 'One row per bucket, in bucket order (ordinal 1 = current), with amount and item count: ready for a chart.';
