-- The start of every generated update script (scripts/gen-update-scripts), before the
-- migrations. Runs against the old version's objects: ar.-qualified names only.

-- The privileges of every relation of schema ar as they are before the update, and
-- their initial privileges (pg_init_privs): post-update.sql gives them back to the
-- relations that the update re-creates, without recording the user's grants as the
-- extension's own (a GRANT run by an extension script lands in pg_init_privs, and
-- pg_dump leaves out what is there).
CREATE TABLE ar._update_saved_acl AS
SELECT c.oid AS old_oid, c.relname, c.relacl,
       (SELECT ip.initprivs FROM pg_catalog.pg_init_privs ip
         WHERE ip.objoid = c.oid AND ip.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ip.objsubid = 0) AS initprivs
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'ar'::pg_catalog.regnamespace AND c.relkind IN ('r', 'v', 'm', 'S');

-- A migration that must re-create a storage materialized view first detaches the views
-- that read it: each becomes a stub with the same columns (typed NULLs), so the
-- published views, their grants, comments and the users' views over them are never
-- dropped; the sources then re-attach them (CREATE OR REPLACE VIEW) to the new storage.
CREATE FUNCTION ar._detach_dependents(storage regclass) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v record;
    n integer := 0;
BEGIN
    FOR v IN SELECT DISTINCT r.ev_class::regclass AS view_name
               FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
              WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                AND d.refobjid = storage AND r.ev_class <> storage LOOP
        EXECUTE format('CREATE OR REPLACE VIEW %s AS SELECT %s', v.view_name,
                       (SELECT string_agg(format('NULL::%s%s AS %I', format_type(a.atttypid, a.atttypmod),
                                                 CASE WHEN a.attcollation <> 0 THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
                                                 a.attname), ', ' ORDER BY a.attnum)
                          FROM pg_attribute a WHERE a.attrelid = v.view_name AND a.attnum > 0 AND NOT a.attisdropped));
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
