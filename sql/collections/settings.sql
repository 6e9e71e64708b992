-- The collections settings in force (docs/collections.md).
CREATE OR REPLACE FUNCTION ar.collections_policy()
RETURNS TABLE (dispute_sla_days integer, hold_sla_business_days integer, hold_past_due_amount numeric,
               hold_days_past_due integer, forecast_doubtful_days integer)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT coalesce(s.dispute_sla_days, 7), coalesce(s.hold_sla_business_days, 2),
           coalesce(s.hold_past_due_amount, 25000.00), coalesce(s.hold_days_past_due, 60),
           coalesce(s.forecast_doubtful_days, 90)
      FROM (VALUES (true)) AS k(singleton) LEFT JOIN ar.collections_settings s ON s.singleton = k.singleton;
END;
COMMENT ON FUNCTION ar.collections_policy() IS 'The collections settings in force: ar.collections_settings overrides, else the defaults (dispute SLA 7 days, hold SLA 2 business days, hold at 25000.00 past due or 60 days past due, forecast leaves out invoices over 90 days past due).';
