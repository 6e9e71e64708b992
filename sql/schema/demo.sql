-- Table of the demo generator (sql/demo/generate.sql). Fresh install only.

CREATE TABLE ar.demo_profiles (
    customer_id text COLLATE "C" PRIMARY KEY REFERENCES ar.customers ON DELETE CASCADE,
    profile     text NOT NULL CHECK (profile IN ('prompt', 'early', 'steady_late', 'chronic_late', 'slipping', 'defaulting')),
    slip_start  date
);
COMMENT ON TABLE ar.demo_profiles IS 'Ground truth of ar.generate_demo: the payment behaviour each demo customer was generated with (for tests and demos; empty for real data).';
COMMENT ON COLUMN ar.demo_profiles.customer_id IS 'Demo customer.';
COMMENT ON COLUMN ar.demo_profiles.profile IS 'prompt (pays about on the due date), early (5-25 days early), steady_late (10-30 days late), chronic_late (40-100 days late), slipping (prompt, then 18-40 days late for invoices issued from slip_start), defaulting (stops paying invoices issued in the last 180 days).';
COMMENT ON COLUMN ar.demo_profiles.slip_start IS 'For slipping customers: first invoice date paid late; for defaulting ones: first invoice date left unpaid.';
SELECT pg_catalog.pg_extension_config_dump('ar.demo_profiles', '');
