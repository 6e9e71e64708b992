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
