-- A canonical description of every object of the extension: what it is, its full
-- definition, its comment, its privileges (ACL items sorted) and its initial
-- privileges (pg_init_privs: what pg_dump takes as the extension's own and leaves
-- out), one line each (sorted by the caller). Two databases with the same output have
-- the same schema: tests/shell/06_upgrades.sh compares a fresh install with an
-- upgraded and a restored one.
WITH members AS (
    SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
     WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'ar_analytics'
), described AS (
    SELECT m.classid, m.objid, pg_describe_object(m.classid, m.objid, 0) AS what FROM members m
)
SELECT what || ' :: ' || coalesce(
         CASE WHEN classid = 'pg_proc'::regclass THEN
                CASE WHEN (SELECT prokind FROM pg_proc WHERE oid = objid) = 'a'
                     THEN (SELECT row(a.*)::text FROM pg_aggregate a WHERE a.aggfnoid = objid) || ' ' || pg_get_function_arguments(objid)
                     ELSE pg_get_functiondef(objid) END
              WHEN classid = 'pg_class'::regclass THEN
                (SELECT c.relkind::text || ' ' || coalesce(pg_get_viewdef(c.oid), '') || ' ' ||
                        coalesce((SELECT string_agg(a.attnum || ':' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
                                                    || ' ' || coalesce(pg_get_expr(ad.adbin, ad.adrelid), '') || ' ' || coalesce(col_description(c.oid, a.attnum), '')
                                                    || ' ' || coalesce(a.attcollation::regcollation::text, ''), ', ' ORDER BY a.attnum)
                                    FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ' ' ||
                        coalesce((SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ' ORDER BY pg_get_indexdef(i.indexrelid)) FROM pg_index i WHERE i.indrelid = c.oid), '') || ' ' ||
                        coalesce((SELECT string_agg(co.conname || ' ' || pg_get_constraintdef(co.oid), '; ' ORDER BY co.conname) FROM pg_constraint co WHERE co.conrelid = c.oid), '') || ' ' ||
                        coalesce((SELECT string_agg(pg_get_triggerdef(tg.oid), '; ' ORDER BY tg.tgname) FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal), '') || ' ' ||
                        coalesce(array_to_string(c.reloptions, ','), '')
                   FROM pg_class c WHERE c.oid = objid)
              WHEN classid = 'pg_type'::regclass THEN
                (SELECT t.typtype::text || ' ' || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                                        FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0), '')
                   FROM pg_type t WHERE t.oid = objid)
              ELSE '' END, '')
       || ' :: ' || coalesce(obj_description(objid, classid::regclass::name), '')
       || ' :: acl ' || coalesce((SELECT '{' || string_agg(x::text, ',' ORDER BY x::text) || '}'
                                    FROM unnest(CASE WHEN classid = 'pg_class'::regclass THEN (SELECT relacl FROM pg_class WHERE oid = objid)
                                                     WHEN classid = 'pg_proc'::regclass THEN (SELECT proacl FROM pg_proc WHERE oid = objid)
                                                     WHEN classid = 'pg_namespace'::regclass THEN (SELECT nspacl FROM pg_namespace WHERE oid = objid)
                                                     WHEN classid = 'pg_type'::regclass THEN (SELECT typacl FROM pg_type WHERE oid = objid) END) x), '')
       || ' :: initprivs ' || coalesce((SELECT string_agg(ip.objsubid || ' ' || ip.privtype::text || ' {' || (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(ip.initprivs) x) || '}', '; ' ORDER BY ip.objsubid)
                                          FROM pg_init_privs ip WHERE ip.classoid = classid AND ip.objoid = objid), '')
  FROM described
UNION ALL
SELECT 'config: ' || c::regclass::text || ' ' || coalesce(e.extcondition[i], '')
  FROM pg_extension e, unnest(e.extconfig) WITH ORDINALITY AS u(c, i) WHERE e.extname = 'ar_analytics';
