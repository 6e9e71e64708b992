-- The statement triggers that keep the refresh's derived data in step with a table: one
-- function run after every INSERT, UPDATE, DELETE and TRUNCATE of the table, once per
-- statement, with the transition tables new_rows / old_rows its operation has. Used by
-- the change logs (sql/refresh/customer_state.sql, sql/views/adtp_trend.sql, the early
-- warnings' runs) and the totals kept with the stores (the month-end ledger's, the
-- collections performance's). The one place their shape is written.
CREATE OR REPLACE FUNCTION ar._create_statement_triggers(tbl regclass, name_suffix text, fn regproc) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    base constant text := format('%s_%s', (SELECT c.relname FROM pg_class c WHERE c.oid = tbl), name_suffix);
BEGIN
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %s()', format('%s_ins', base), tbl, fn);
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %s()', format('%s_upd', base), tbl, fn);
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %s()', format('%s_del', base), tbl, fn);
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s()', format('%s_truncate', base), tbl, fn);
END $$;
COMMENT ON FUNCTION ar._create_statement_triggers(regclass, text, regproc) IS 'Internal (the SQL sources): create or replace the four statement triggers <table>_<name_suffix>_ins / _upd / _del / _truncate of a table, each running fn once per statement with its transition tables (new_rows, old_rows).';

-- The storage of a published view (a table ar.x_data, 0.23.0) and the view of its query
-- (ar._x_rows) carry the published view's column descriptions: each column of target
-- gets the description of source's column of the same name. Run by the sources after
-- the published view's comments.
CREATE OR REPLACE FUNCTION ar._describe_columns_like(source regclass, target regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT a.attname, col_description(source, v.attnum) AS description
                 FROM pg_attribute a
                 JOIN pg_attribute v ON v.attrelid = source AND v.attname = a.attname AND v.attnum > 0 AND NOT v.attisdropped
                WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped LOOP
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', target, col.attname, col.description);
    END LOOP;
END $$;
COMMENT ON FUNCTION ar._describe_columns_like(regclass, regclass) IS 'Internal (the sources): give each column of target the description of the column of the same name of source (a storage table and the view of its query take their published view''s).';
