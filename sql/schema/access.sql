-- Table of collector access (sql/access/collector_views.sql). Fresh install only.

CREATE TABLE ar.collector_roles (
    role_name name PRIMARY KEY,
    collector text
);
COMMENT ON TABLE ar.collector_roles IS 'Which collector''s accounts each database role may see through the ar.my_* views; collector NULL = all accounts (managers).';
COMMENT ON COLUMN ar.collector_roles.role_name IS 'Database role (as current_user sees it).';
COMMENT ON COLUMN ar.collector_roles.collector IS 'Collector name as in ar.customers.collector; NULL = every collector (manager).';
SELECT pg_catalog.pg_extension_config_dump('ar.collector_roles', '');
