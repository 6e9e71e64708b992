-- Assertion helpers for the SQL test files. Each passing check prints a NOTICE
-- "ok: <label>"; a failing one raises, and the runner counts the file as failed.
CREATE SCHEMA t;

CREATE FUNCTION t.eq(actual anyelement, expected anyelement, label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF actual IS DISTINCT FROM expected THEN
        RAISE EXCEPTION 'FAILED: % -- expected %, got %', label, expected, actual;
    END IF;
    RAISE NOTICE 'ok: %', label;
END $$;

CREATE FUNCTION t.ok(cond boolean, label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF cond IS NOT TRUE THEN
        RAISE EXCEPTION 'FAILED: %', label;
    END IF;
    RAISE NOTICE 'ok: %', label;
END $$;

-- Run sql and expect an ERROR with this SQLSTATE whose message matches the LIKE pattern.
CREATE FUNCTION t.raises(sql text, sqlstate text, message_like text, label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    got_state text;
    got_msg text;
BEGIN
    BEGIN
        EXECUTE sql;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS got_state = RETURNED_SQLSTATE, got_msg = MESSAGE_TEXT;
    END;
    IF got_state IS NULL THEN
        RAISE EXCEPTION 'FAILED: % -- expected ERROR % but the statement succeeded: %', label, sqlstate, sql;
    END IF;
    IF got_state <> sqlstate OR got_msg NOT LIKE message_like THEN
        RAISE EXCEPTION 'FAILED: % -- expected ERROR % like "%", got % "%"', label, sqlstate, message_like, got_state, got_msg;
    END IF;
    IF got_msg ILIKE '%panic%' OR got_msg ILIKE '%unwrap%' THEN
        RAISE EXCEPTION 'FAILED: % -- error text looks like a Rust panic: %', label, got_msg;
    END IF;
    RAISE NOTICE 'ok: %', label;
END $$;
