-- The end of every generated update script, after the migrations and the re-applied
-- sources: every function and view is current here.

-- Relations the update re-created (same name, new object) get back the privileges
-- they had. The GRANTs run here would be recorded in pg_init_privs as the extension's
-- initial privileges (and so be left out by pg_dump): the initial privileges are put
-- back as the sources left them, so that the users' grants stay theirs.
DO $$
DECLARE
    r record;
    g record;
    before aclitem[];
BEGIN
    FOR r IN SELECT c.oid, c.relname, c.relkind, s.relacl
               FROM ar._update_saved_acl s
               JOIN pg_catalog.pg_class c ON c.relname = s.relname AND c.relnamespace = 'ar'::pg_catalog.regnamespace
              WHERE c.oid <> s.old_oid AND s.relacl IS NOT NULL LOOP
        before := (SELECT ip.initprivs FROM pg_catalog.pg_init_privs ip
                    WHERE ip.objoid = r.oid AND ip.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ip.objsubid = 0);
        FOR g IN SELECT a.privilege_type, a.grantee, a.is_grantable
                   FROM pg_catalog.aclexplode(r.relacl) a JOIN pg_catalog.pg_class c ON c.oid = r.oid
                  WHERE a.grantee <> c.relowner LOOP
            EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, r.oid::pg_catalog.regclass,
                                      CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                      CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
        DELETE FROM pg_catalog.pg_init_privs
         WHERE objoid = r.oid AND classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid = 0;
        IF before IS NOT NULL THEN
            INSERT INTO pg_catalog.pg_init_privs (objoid, classoid, objsubid, privtype, initprivs)
            VALUES (r.oid, 'pg_catalog.pg_class'::pg_catalog.regclass, 0, 'e', before);
        END IF;
    END LOOP;
END $$;

-- A database that was refreshed keeps readable views: storage the update created or
-- re-created is filled for the as-of date of the last refresh (from the data as it is
-- now; the next refresh brings every view to its own date). A database never
-- refreshed has no as-of date: its first refresh fills them.
DO $$
BEGIN
    IF ar.as_of() IS NOT NULL THEN
        -- the per-customer stores without a state (new ones) are built, the others kept;
        -- in the refresh's order: those the health rows read, the customer state, the others
        PERFORM ar._refresh_stores(ar.as_of(), false, NULL, true);
        IF NOT EXISTS (SELECT FROM ar._customer_state) THEN
            PERFORM ar._refresh_customer_state(ar.as_of(), true, NULL, NULL);
        END IF;
        PERFORM ar._refresh_stores(ar.as_of(), false, NULL, false);
        IF NOT EXISTS (SELECT FROM ar._adtp_trend_state) THEN
            PERFORM ar._refresh_adtp_trend(ar.as_of());
        END IF;
        -- (the forecast views read the outlook cells of the date)
        PERFORM ar._store_outlook_cells(ar.as_of());
        -- (the collections performance adds up its totals per customers' group: those not
        -- grouped yet, after an update that created the totals, are grouped by the ratings)
        PERFORM ar._store_performance_groups();
        -- the unpopulated ones and the storage tables this update created (an oid not saved
        -- by pre-update.sql), in the order of ar._refresh (each reads only those before
        -- it), by the refresh's own helper (which populates an unpopulated view directly)
        PERFORM ar._refresh_views(ARRAY(
            SELECT v.mv FROM unnest(ar._storage_views(1) || ar._storage_views(2) || ar._storage_views(3) || ar._storage_views(4))
                                 WITH ORDINALITY AS v(mv, ord)
             WHERE NOT (SELECT relispopulated FROM pg_catalog.pg_class WHERE oid = ('ar.' || v.mv)::pg_catalog.regclass)
                OR NOT EXISTS (SELECT FROM ar._update_saved_acl s WHERE s.old_oid = ('ar.' || v.mv)::pg_catalog.regclass)
             ORDER BY v.ord), '{}');
    END IF;
END $$;

DROP FUNCTION ar._detach_dependents(regclass);
DROP FUNCTION ar._drop_with_readers(regclass, oid);
DROP FUNCTION ar._stub_view(regclass);
DROP TABLE ar._update_saved_acl;
