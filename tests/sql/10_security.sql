-- Least privilege and isolation.
INSERT INTO ar.customers (customer_id, name, collector) VALUES ('A', 'Alpha', 'Ann'), ('B', 'Beta', 'Bob'), ('C', 'Gamma', 'Ann');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES
  ('IA', 'A', '2026-01-01', '2026-01-31', 100.00), ('IB', 'B', '2026-01-01', '2026-01-31', 200.00), ('IC', 'C', '2026-01-01', '2026-01-31', 300.00);
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('A', 'IA', '2026-02-10', 40.00);
SELECT ar.refresh('2026-03-31');

-- 1. Collectors see only their own accounts; a manager sees all
CREATE ROLE ar_t_ann; CREATE ROLE ar_t_bob; CREATE ROLE ar_t_mgr; CREATE ROLE ar_t_nobody;
SELECT ar.grant_collector('ar_t_ann', 'Ann');
SELECT ar.grant_collector('ar_t_bob', 'Bob');
SELECT ar.grant_collector('ar_t_mgr', NULL);
GRANT USAGE ON SCHEMA t TO ar_t_ann, ar_t_bob, ar_t_mgr, ar_t_nobody;
GRANT USAGE ON SCHEMA ar TO ar_t_nobody;
GRANT SELECT ON ar.my_customer_health TO ar_t_nobody;
SET ROLE ar_t_ann;
SELECT t.eq((SELECT string_agg(customer_id, ',' ORDER BY customer_id) FROM ar.my_customer_health), 'A,C', 'Ann sees A and C');
SELECT t.eq((SELECT string_agg(customer_id, ',' ORDER BY customer_id) FROM ar.my_customer_risk), 'A,C', 'Ann sees the ratings of A and C');
-- every column of every restricted view, the as-of dates included (row::text reads them
-- all): a column computed with a function that reads a table as the caller (ar.as_of()
-- reads ar.settings, not granted to a collector) would fail here. Expected: A and C, each
-- as of the refresh's 2026-03-31.
SELECT t.eq((SELECT string_agg(customer_id || '@' || as_of, ',' ORDER BY customer_id) FROM ar.my_customer_health h WHERE h::text IS NOT NULL),
            'A@2026-03-31,C@2026-03-31', 'Ann reads whole rows of ar.my_customer_health');
SELECT t.eq((SELECT string_agg(customer_id || '@' || as_of, ',' ORDER BY customer_id) FROM ar.my_customer_risk r WHERE r::text IS NOT NULL),
            'A@2026-03-31,C@2026-03-31', 'Ann reads whole rows of ar.my_customer_risk');
SELECT t.eq((SELECT count(*) FROM ar.my_early_warnings w WHERE w::text IS NULL), 0::bigint, 'Ann reads whole rows of ar.my_early_warnings');
SELECT t.eq((SELECT count(*) FROM ar.my_collections_worklist w WHERE w::text IS NULL), 0::bigint, 'Ann reads whole rows of ar.my_collections_worklist');
SELECT t.raises($$SELECT * FROM ar.customer_health$$, '42501', 'permission denied%', 'Ann cannot read the unrestricted view');
SELECT t.raises($$SELECT * FROM ar.collector_roles$$, '42501', 'permission denied%', 'Ann cannot read or change the role mapping');
-- a leaky function in WHERE only ever sees Ann's rows (security barrier)
CREATE TEMP TABLE seen (customer_id text);
CREATE FUNCTION pg_temp.leak(c text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$ BEGIN INSERT INTO seen VALUES (c); RETURN true; END $$;
SELECT count(*) FROM ar.my_customer_health WHERE pg_temp.leak(customer_id);
SELECT t.eq((SELECT string_agg(customer_id, ',' ORDER BY customer_id) FROM seen), 'A,C', 'a cheap leaky function in WHERE sees no other collector''s rows');
RESET ROLE;
SET ROLE ar_t_bob;
SELECT t.eq((SELECT string_agg(customer_id || '=' || open_amount, ',' ORDER BY customer_id) FROM ar.my_customer_health), 'B=200.00', 'Bob sees only B');
RESET ROLE;
SET ROLE ar_t_mgr;
SELECT t.eq((SELECT count(*) FROM ar.my_customer_health), 3::bigint, 'the manager sees all three');
RESET ROLE;
SET ROLE ar_t_nobody;
SELECT t.eq((SELECT count(*) FROM ar.my_customer_health), 0::bigint, 'a role with the grant but no mapping sees nothing');
RESET ROLE;
DROP OWNED BY ar_t_ann, ar_t_bob, ar_t_mgr, ar_t_nobody;
DELETE FROM ar.collector_roles;
DROP ROLE ar_t_ann; DROP ROLE ar_t_bob; DROP ROLE ar_t_mgr; DROP ROLE ar_t_nobody;

-- 2. A hostile schema first on the caller's search_path cannot hijack the extension:
-- these objects raise if ever called.
CREATE TABLE before_hijack AS
SELECT (SELECT string_agg(invoice_id || '=' || open_amount || '@' || days_past_due, ' ' ORDER BY invoice_id) FROM ar.open_items('2026-03-31')) AS open_items,
       (SELECT row(score, rating)::text FROM ar.risk_score(50, 30, 72, 60, 24, 1000, 620, 60, 1.15, 2, 0)) AS risk,
       (SELECT row(open_amount, adtp_12m)::text FROM ar.customer_health WHERE customer_id = 'A') AS health;
CREATE SCHEMA evil;
CREATE FUNCTION evil.trap() RETURNS void LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'HIJACKED'; END $$;
CREATE FUNCTION evil.raise_bool(text, text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN false; END $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.raise_bool);
CREATE FUNCTION evil.raise_date(date, integer) RETURNS date LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN NULL; END $$;
CREATE OPERATOR evil.- (LEFTARG = date, RIGHTARG = integer, FUNCTION = evil.raise_date);
CREATE FUNCTION evil.format(text, anyelement) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN NULL; END $$;
CREATE FUNCTION evil.date_trunc(text, timestamp) RETURNS timestamp LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN NULL; END $$;
CREATE FUNCTION evil.round(numeric, integer) RETURNS numeric LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN NULL; END $$;
CREATE FUNCTION evil.coalesce_sum(numeric, numeric) RETURNS numeric LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN NULL; END $$;
CREATE AGGREGATE evil.sum(numeric) (SFUNC = evil.coalesce_sum, STYPE = numeric);
CREATE FUNCTION evil.count_any(bigint, anyelement) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN NULL; END $$;
CREATE FUNCTION evil.to_jsonb(anyelement) RETURNS jsonb LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap(); RETURN NULL; END $$;
SET search_path = evil, pg_catalog, public, t;
DO $$ BEGIN      -- the trap is armed: in this session an unqualified text = is the hostile operator
    BEGIN
        PERFORM 'a'::text = 'a'::text;
    EXCEPTION WHEN OTHERS THEN
        IF SQLERRM OPERATOR(pg_catalog.=) 'HIJACKED' THEN
            RAISE NOTICE 'ok: the trap is armed: unqualified text = resolves to the hostile operator in this session';
            RETURN;
        END IF;
    END;
    RAISE EXCEPTION 'FAILED: the hostile operator was not picked up; the test proves nothing';
END $$;
SELECT t.eq((SELECT string_agg(invoice_id || '=' || open_amount || '@' || days_past_due, ' ' ORDER BY invoice_id COLLATE "C") FROM ar.open_items('2026-03-31')),
            (SELECT open_items FROM before_hijack), 'ar.open_items unaffected');
SELECT t.eq((SELECT row(score, rating)::text FROM ar.risk_score(50, 30, 72, 60, 24, 1000, 620, 60, 1.15, 2, 0)), (SELECT risk FROM before_hijack), 'ar.risk_score unaffected');
SELECT t.ok(ar.refresh('2026-03-31') LIKE 'succeeded%', 'ar.refresh runs untouched (pinned search_path)');
CALL ar.run_refresh('2026-03-31');
SELECT t.eq((SELECT status FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'succeeded', 'CALL ar.run_refresh runs untouched (search_path pinned in each of its transactions)');
SELECT t.eq((SELECT row(open_amount, adtp_12m)::text FROM ar.customer_health WHERE customer_id OPERATOR(pg_catalog.=) 'A'), (SELECT health FROM before_hijack), 'refreshed figures unchanged');
SELECT t.ok(ar.generate_demo(customers => 5, replace => true) OPERATOR(pg_catalog.>) 0, 'ar.generate_demo runs untouched');
SELECT t.ok((SELECT count(*) FROM ar.effective_rating_policy()) OPERATOR(pg_catalog.=) 1, 'policy functions untouched');
RESET search_path;
DROP SCHEMA evil CASCADE;

-- 3. Every PL/pgSQL function pins its search_path; no dynamic SQL is built by concatenation
SELECT t.eq((SELECT string_agg(p.proname, ', ') FROM pg_proc p
              WHERE p.pronamespace = 'ar'::regnamespace AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpgsql')
                AND p.prokind = 'f' AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)), NULL, 'every PL/pgSQL function sets search_path = pg_catalog, pg_temp');
-- Procedures that COMMIT cannot have a SET clause: they pin search_path at the start of each transaction.
SELECT t.eq((SELECT string_agg(p.proname, ', ') FROM pg_proc p
              WHERE p.pronamespace = 'ar'::regnamespace AND p.prokind = 'p'
                AND (p.prosrc !~ '^\s*DECLARE[^$]*BEGIN\s+PERFORM pg_catalog\.set_config\(''search_path'', ''pg_catalog, pg_temp'', true\);'
                     OR (SELECT count(*) FROM regexp_matches(p.prosrc, 'COMMIT;', 'g')) >
                        (SELECT count(*) FROM regexp_matches(p.prosrc, 'COMMIT;\s*(SET TRANSACTION[^;]*;\s*)?PERFORM pg_catalog\.set_config\(''search_path''', 'g')) + 1)),
            NULL, 'every procedure pins search_path first and again after each COMMIT but the last');
SELECT t.eq((SELECT string_agg(p.proname, ', ') FROM pg_proc p
              WHERE p.pronamespace = 'ar'::regnamespace AND p.prosrc ~* 'EXECUTE\s[^;]*\|\|'), NULL, 'no EXECUTE of a string built with ||');
SELECT t.eq((SELECT string_agg(p.proname, ', ') FROM pg_proc p WHERE p.pronamespace = 'ar'::regnamespace AND p.prosecdef), NULL, 'no SECURITY DEFINER function');
