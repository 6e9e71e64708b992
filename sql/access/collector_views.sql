-- Row-level access for collectors: security-barrier views over the published
-- views, filtered by ar.collector_roles (sql/schema/access.sql). A collector's role
-- sees only its own accounts; a role mapped with collector NULL (a manager) sees all.
-- Grant with ar.grant_collector(role, collector).

CREATE OR REPLACE VIEW ar.my_customer_health WITH (security_barrier) AS
SELECT h.* FROM ar.customer_health_mv h
 WHERE EXISTS (SELECT FROM ar.collector_roles m
                WHERE m.role_name = current_user AND (m.collector IS NULL OR m.collector = h.collector));
COMMENT ON VIEW ar.my_customer_health IS 'ar.customer_health restricted to the accounts of the current role''s collector (see ar.collector_roles).';

CREATE OR REPLACE VIEW ar.my_customer_risk WITH (security_barrier) AS
SELECT r.* FROM ar.customer_risk_mv r
 WHERE EXISTS (SELECT FROM ar.collector_roles m
                WHERE m.role_name = current_user AND (m.collector IS NULL OR m.collector = r.collector));
COMMENT ON VIEW ar.my_customer_risk IS 'ar.customer_risk restricted to the accounts of the current role''s collector.';

CREATE OR REPLACE VIEW ar.my_early_warnings WITH (security_barrier) AS
SELECT w.* FROM ar.early_warnings w
 WHERE EXISTS (SELECT FROM ar.collector_roles m
                WHERE m.role_name = current_user AND (m.collector IS NULL OR m.collector = w.collector));
COMMENT ON VIEW ar.my_early_warnings IS 'ar.early_warnings restricted to the accounts of the current role''s collector.';

CREATE OR REPLACE VIEW ar.my_collections_worklist WITH (security_barrier) AS
SELECT w.* FROM ar.collections_worklist w
 WHERE EXISTS (SELECT FROM ar.collector_roles m
                WHERE m.role_name = current_user AND (m.collector IS NULL OR m.collector = w.collector));
COMMENT ON VIEW ar.my_collections_worklist IS 'ar.collections_worklist restricted to the accounts of the current role''s collector (see ar.collector_roles).';

-- Column descriptions of the restricted views are those of the views they filter.
SELECT ar._copy_column_comments(p.s, p.d)
  FROM (VALUES ('ar.customer_health'::regclass, 'ar.my_customer_health'::regclass), ('ar.customer_risk', 'ar.my_customer_risk'),
               ('ar.early_warnings', 'ar.my_early_warnings'), ('ar.collections_worklist', 'ar.my_collections_worklist')) AS p(s, d);

CREATE OR REPLACE FUNCTION ar.grant_collector(role_name name, collector text) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'ar.grant_collector: role_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    INSERT INTO ar.collector_roles (role_name, collector) VALUES (grant_collector.role_name, grant_collector.collector)
        ON CONFLICT ON CONSTRAINT collector_roles_pkey DO UPDATE SET collector = excluded.collector;
    EXECUTE format('GRANT USAGE ON SCHEMA ar TO %I', role_name);
    EXECUTE format('GRANT SELECT ON ar.my_customer_health, ar.my_customer_risk, ar.my_early_warnings, ar.my_collections_worklist TO %I', role_name);
END $$;
COMMENT ON FUNCTION ar.grant_collector(name, text) IS 'Let a role read the ar.my_* views (health, risk, early warnings, collections worklist), restricted to one collector''s accounts (collector NULL = all accounts, for managers).';
