-- ar.agingsummary: the aging summary type, the aggregates ar.aging and ar.rollup
-- (src/aggregates/aging.rs), the accessors and ar.buckets.
------------------------------------------------------------------------------
-- ar.agingsummary
------------------------------------------------------------------------------
-- Types cannot be replaced: created once (a shell first, for the I/O functions), kept after.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_type WHERE typname = 'agingsummary' AND typnamespace = 'ar'::pg_catalog.regnamespace) THEN CREATE TYPE ar.agingsummary; END IF;
END $$;
CREATE OR REPLACE FUNCTION ar.agingsummary_in(cstring) RETURNS ar.agingsummary IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_in';
CREATE OR REPLACE FUNCTION ar.agingsummary_out(ar.agingsummary) RETURNS cstring IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_out';
CREATE OR REPLACE FUNCTION ar.agingsummary_recv(internal) RETURNS ar.agingsummary IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_recv';
CREATE OR REPLACE FUNCTION ar.agingsummary_send(ar.agingsummary) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_agingsummary_send';
DO $$ BEGIN
    IF NOT (SELECT typisdefined FROM pg_catalog.pg_type WHERE typname = 'agingsummary' AND typnamespace = 'ar'::pg_catalog.regnamespace) THEN
        CREATE TYPE ar.agingsummary (
    INPUT = ar.agingsummary_in, OUTPUT = ar.agingsummary_out,
    RECEIVE = ar.agingsummary_recv, SEND = ar.agingsummary_send,
    INTERNALLENGTH = VARIABLE, STORAGE = plain, ALIGNMENT = int4
        );
    END IF;
END $$;
COMMENT ON TYPE ar.agingsummary IS 'Amounts and counts per aging bucket from ar.aging. Read with ar.bucket_amount, ar.bucket_count, ar.total, ar.past_due, ar.buckets.';

CREATE OR REPLACE FUNCTION ar.aging_trans(internal, numeric, integer) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_trans';
CREATE OR REPLACE FUNCTION ar.aging_bounds_trans(internal, numeric, integer, integer[]) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_bounds_trans';
CREATE OR REPLACE FUNCTION ar.aging_combine(internal, internal) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_combine';
CREATE OR REPLACE FUNCTION ar.aging_serialize(internal) RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_serialize';
CREATE OR REPLACE FUNCTION ar.aging_deserialize(bytea, internal) RETURNS internal IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_deserialize';
CREATE OR REPLACE FUNCTION ar.aging_final(internal) RETURNS ar.agingsummary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_final';
CREATE OR REPLACE FUNCTION ar.aging_bounds_final(internal) RETURNS ar.agingsummary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_bounds_final';
CREATE OR REPLACE FUNCTION ar.aging_rollup_trans(internal, ar.agingsummary) RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_aging_rollup_trans';

CREATE OR REPLACE AGGREGATE ar.aging(open_amount numeric, days_past_due integer) (
    SFUNC = ar.aging_trans, STYPE = internal,
    COMBINEFUNC = ar.aging_combine,
    SERIALFUNC = ar.aging_serialize, DESERIALFUNC = ar.aging_deserialize,
    FINALFUNC = ar.aging_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.aging(numeric, integer) IS 'Open amounts by standard aging bucket (current, 1-30, 31-60, 61-90, 91-120, 121+) -> ar.agingsummary. Rows with a NULL amount are skipped.';
CREATE OR REPLACE AGGREGATE ar.aging(open_amount numeric, days_past_due integer, bounds integer[]) (
    SFUNC = ar.aging_bounds_trans, STYPE = internal,
    COMBINEFUNC = ar.aging_combine,
    SERIALFUNC = ar.aging_serialize, DESERIALFUNC = ar.aging_deserialize,
    FINALFUNC = ar.aging_bounds_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.aging(numeric, integer, integer[]) IS 'Open amounts by user-defined aging buckets (same bounds on every row) -> ar.agingsummary; NULL without rows.';
CREATE OR REPLACE AGGREGATE ar.rollup(ar.agingsummary) (
    SFUNC = ar.aging_rollup_trans, STYPE = internal,
    COMBINEFUNC = ar.aging_combine,
    SERIALFUNC = ar.aging_serialize, DESERIALFUNC = ar.aging_deserialize,
    FINALFUNC = ar.aging_bounds_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE ar.rollup(ar.agingsummary) IS 'Merge aging summaries with the same bounds; identical to one pass over all their rows.';

CREATE OR REPLACE FUNCTION ar.bucket_amount(s ar.agingsummary, bucket text) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bucket_amount';
CREATE OR REPLACE FUNCTION ar.bucket_count(s ar.agingsummary, bucket text) RETURNS bigint IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bucket_count';
CREATE OR REPLACE FUNCTION ar.total(s ar.agingsummary) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_total';
CREATE OR REPLACE FUNCTION ar.past_due(s ar.agingsummary) RETURNS numeric IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_past_due';
CREATE OR REPLACE FUNCTION ar.item_count(s ar.agingsummary) RETURNS bigint IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_item_count';
CREATE OR REPLACE FUNCTION ar.bucket_labels(s ar.agingsummary) RETURNS text[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bucket_labels';
CREATE OR REPLACE FUNCTION ar.bounds(s ar.agingsummary) RETURNS integer[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'ar_ag_bounds';
COMMENT ON FUNCTION ar.bucket_amount(ar.agingsummary, text) IS 'Open amount in the named bucket (e.g. ''31-60''); an unknown name is an error listing the valid ones.';
COMMENT ON FUNCTION ar.bucket_count(ar.agingsummary, text) IS 'Number of items in the named bucket.';
COMMENT ON FUNCTION ar.total(ar.agingsummary) IS 'Total open amount over all buckets (equals the sum of the inputs exactly).';
COMMENT ON FUNCTION ar.past_due(ar.agingsummary) IS 'Open amount in every bucket but current.';
COMMENT ON FUNCTION ar.item_count(ar.agingsummary) IS 'Number of items over all buckets.';
COMMENT ON FUNCTION ar.bucket_labels(ar.agingsummary) IS 'Bucket names in order, current first.';
COMMENT ON FUNCTION ar.bounds(ar.agingsummary) IS 'The inclusive upper bounds that define the buckets.';

CREATE OR REPLACE FUNCTION ar.buckets(s ar.agingsummary, OUT bucket text, OUT amount numeric, OUT item_count bigint, OUT ordinal integer)
    RETURNS SETOF record IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    BEGIN ATOMIC
        SELECT l.bucket, ar.bucket_amount(s, l.bucket), ar.bucket_count(s, l.bucket), l.ord::integer
          FROM unnest(ar.bucket_labels(s)) WITH ORDINALITY AS l(bucket, ord)
         ORDER BY l.ord;
    END;
COMMENT ON FUNCTION ar.buckets(ar.agingsummary) IS 'One row per bucket, in bucket order (ordinal 1 = current), with amount and item count: ready for a chart.';
