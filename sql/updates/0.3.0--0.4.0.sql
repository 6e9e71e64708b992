-- ar_analytics 0.3.0 -> 0.4.0: the migrations only (released; never edited again).

-- Replaced by the detach/re-attach of sql/updates/pre-update.sql.
DROP FUNCTION IF EXISTS ar._view_restore_statements(text, text);

-- Repair of databases updated by the released 0.1.0->0.2.0 and 0.2.0->0.3.0 scripts:
-- they dropped ar.portfolio_aging, ar.adtp_trend_monthly and ar.portfolio_kpis_monthly
-- and re-ran the users' GRANTs themselves, which PostgreSQL recorded in pg_init_privs
-- as the extension's initial privileges, so pg_dump left them out. The extension's
-- scripts grant to no role (only INSERT on ar._adtp_trend_changes to PUBLIC): every
-- initial privilege of an ar relation held by another role than the owner is a user's.
-- The relations those scripts rebuilt never had an initial privilege for PUBLIC either.
-- An entry left with the owner's default privileges only is one a fresh install has not.
DO $$
DECLARE
    r record;
    kept aclitem[];
BEGIN
    FOR r IN SELECT ip.objoid, ip.initprivs, c.relowner, c.relkind, c.relname
               FROM pg_catalog.pg_init_privs ip JOIN pg_catalog.pg_class c ON c.oid = ip.objoid
              WHERE ip.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ip.objsubid = 0
                AND c.relnamespace = 'ar'::pg_catalog.regnamespace LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_catalog.aclexplode(r.initprivs) a
                                   WHERE a.grantee <> r.relowner
                                     AND (a.grantee <> 0 OR r.relname IN ('portfolio_aging', 'portfolio_aging_mv', 'adtp_trend_monthly',
                                                                          'adtp_trend_monthly_data', 'portfolio_kpis_monthly', 'portfolio_kpis_monthly_mv')));
        -- the items kept as they are (one item holds all privileges of a grantee from a grantor)
        kept := ARRAY(SELECT x FROM pg_catalog.unnest(r.initprivs) x,
                             LATERAL (SELECT a.grantee FROM pg_catalog.aclexplode(ARRAY[x]) a LIMIT 1) g
                       WHERE g.grantee = r.relowner
                          OR (g.grantee = 0 AND r.relname NOT IN ('portfolio_aging', 'portfolio_aging_mv', 'adtp_trend_monthly',
                                                                  'adtp_trend_monthly_data', 'portfolio_kpis_monthly', 'portfolio_kpis_monthly_mv')));
        IF (SELECT pg_catalog.array_agg(x ORDER BY x::text) FROM pg_catalog.unnest(kept) x)
           = (SELECT pg_catalog.array_agg(x ORDER BY x::text) FROM pg_catalog.unnest(pg_catalog.acldefault(CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END::"char", r.relowner)) x) THEN
            DELETE FROM pg_catalog.pg_init_privs WHERE objoid = r.objoid AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid = 0;
        ELSE
            UPDATE pg_catalog.pg_init_privs SET initprivs = kept
             WHERE objoid = r.objoid AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid = 0;
        END IF;
    END LOOP;
END $$;
