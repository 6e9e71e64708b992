-- Read-only access for BI tools.
CREATE OR REPLACE FUNCTION ar.grant_reader(role_name name) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'ar.grant_reader: role_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA ar TO %I', role_name);
    EXECUTE format('GRANT SELECT ON ar.customer_health, ar.portfolio_aging, ar.portfolio_kpis_monthly, ar.adtp_trend_monthly, ar.customer_health_history, ar.refresh_log, '
                   'ar.customer_risk, ar.customer_risk_history, ar.rating_changes, ar.early_warnings, ar.segment_risk, '
                   'ar.collections_worklist, ar.dispute_sla, ar.open_disputes, ar.order_hold_recommendations, ar.order_hold_sla, '
                   'ar.promise_kept_rates, ar.promises_status, ar.payment_plan_status, ar.payment_plan_installment_status, '
                   'ar.collections_performance, ar.channel_response_rates, ar.cash_forecast_weekly, ar.currency_exposure, '
                   'ar.cash_forecast_accuracy, ar.portfolio_kpis_long, ar.adtp_trend_portfolio, '
                   'ar.cash_forecast_detail, ar.expected_write_off, ar.payment_model, ar.payment_model_fit, '
                   -- what the views read at query time: the as-of date and reporting currency of
                   -- the refresh, and the exchange rates (reference data, no customer's)
                   'ar.settings, ar.fx_rates TO %I', role_name);
END $$;
COMMENT ON FUNCTION ar.grant_reader(name) IS 'Let a role (e.g. a BI tool''s login) read the published views, the health history, the refresh log, the settings (as-of date, reporting currency) and the exchange rates, and nothing else: no ledger tables, no writes.';
