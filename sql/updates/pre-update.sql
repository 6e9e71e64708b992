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
CREATE FUNCTION ar._stub_view(v regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE OR REPLACE VIEW %s AS SELECT %s', v,
                   (SELECT string_agg(format('NULL::%s%s AS %I', format_type(a.atttypid, a.atttypmod),
                                             CASE WHEN a.attcollation <> 0 THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
                                             a.attname), ', ' ORDER BY a.attnum)
                      FROM pg_attribute a WHERE a.attrelid = v AND a.attnum > 0 AND NOT a.attisdropped));
END $$;

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
        PERFORM ar._stub_view(v.view_name);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

-- A migration that replaces a relation or function read by SQL-standard function
-- bodies and materialized views drops it with its readers: plain views that read it
-- are detached (stubs, as above), the functions and materialized views that read it
-- are dropped first, with their own readers (the sources re-create them all; the
-- post-update fills the storage). Returns the number of objects dropped.
CREATE FUNCTION ar._drop_with_readers(cls regclass, obj oid) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    n integer := 0;
    obj_type constant oid := CASE WHEN cls = 'pg_class'::regclass THEN (SELECT c.reltype FROM pg_class c WHERE c.oid = obj) END;
BEGIN
    FOR r IN SELECT DISTINCT d.classid, CASE WHEN d.classid = 'pg_rewrite'::regclass THEN rw.ev_class ELSE d.objid END AS reader
               FROM pg_depend d LEFT JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND rw.oid = d.objid
              WHERE ((d.refclassid = cls AND d.refobjid = obj) OR (d.refclassid = 'pg_type'::regclass AND d.refobjid = obj_type))
                AND (d.classid = 'pg_proc'::regclass OR (d.classid = 'pg_rewrite'::regclass AND rw.ev_class <> obj)) LOOP
        IF r.classid = 'pg_proc'::regclass THEN
            IF EXISTS (SELECT FROM pg_proc p WHERE p.oid = r.reader) THEN
                n := n + ar._drop_with_readers('pg_proc', r.reader);
            END IF;
        ELSIF (SELECT c.relkind FROM pg_class c WHERE c.oid = r.reader) = 'm' THEN
            n := n + ar._drop_with_readers('pg_class', r.reader);
        ELSIF (SELECT c.relkind FROM pg_class c WHERE c.oid = r.reader) = 'v' THEN
            PERFORM ar._stub_view(r.reader);
        END IF;
    END LOOP;
    IF cls = 'pg_proc'::regclass THEN
        EXECUTE format('DROP %s %s', CASE (SELECT p.prokind FROM pg_proc p WHERE p.oid = obj) WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                       obj::regprocedure);
    ELSE
        EXECUTE format('DROP %s %s', CASE (SELECT c.relkind FROM pg_class c WHERE c.oid = obj) WHEN 'm' THEN 'MATERIALIZED VIEW'
                                                                                           WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END,
                       obj::regclass);
    END IF;
    RETURN n + 1;
END $$;
