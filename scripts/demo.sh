#!/usr/bin/env bash
# One command from a fresh machine to a demo portfolio: install what is missing,
# build and install the extension, start a throwaway cluster (as the postgres OS
# user when run as root), create database ar_demo, CREATE EXTENSION ar_analytics,
# generate a demo portfolio and print a portfolio summary.
#   env: DEMO_CUSTOMERS (default 1000), DEMO_AS_OF (default 2026-06-30)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export AR_PGDATA=${AR_PGDATA:-/tmp/ar_analytics/pgdata} AR_PGPORT=${AR_PGPORT:-54315} AR_CRON_DB=ar_demo
CUSTOMERS=${DEMO_CUSTOMERS:-1000}; AS_OF=${DEMO_AS_OF:-2026-06-30}
scripts/pg.sh start
PSQL=(scripts/pg.sh psql -X -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS ar_demo WITH (FORCE)" -c "CREATE DATABASE ar_demo"
"${PSQL[@]}" -d ar_demo -v customers="$CUSTOMERS" -v as_of="$AS_OF" <<'SQL'
CREATE EXTENSION ar_analytics;
\echo
\echo '== generating the demo portfolio'
\timing on
SELECT ar.generate_demo(customers => :customers, seed => 42, as_of => :'as_of') AS invoices_created;
\timing off
\echo '== portfolio'
SELECT (SELECT count(*) FROM ar.customers) AS customers, (SELECT count(*) FROM ar.invoices) AS invoices,
       (SELECT count(*) FROM ar.payments) AS payments, (SELECT count(*) FROM ar.disputes) AS disputes,
       (SELECT count(*) FROM ar.promises) AS promises, (SELECT count(*) FROM ar.order_holds) AS order_holds;
\echo '== aging as of' :'as_of'
SELECT b.bucket, b.amount, b.item_count AS invoices, round(100 * b.amount / ar.total(a), 1) AS pct
  FROM (SELECT ar.aging(open_amount, days_past_due) a FROM ar.open_items(:'as_of')) x, ar.buckets(x.a) b ORDER BY b.ordinal;
\echo '== payment behaviour, trailing 12 months (settled items)'
SELECT ar.item_count(s) AS items, round(ar.adtp(s), 1) AS adtp, round(ar.adtp_weighted(s), 1) AS adtp_weighted,
       round(ar.avg_days_late_weighted(s), 1) AS days_late_weighted, round(100 * ar.on_time_rate(s), 1) AS on_time_pct,
       ar.payment_index(s) AS payment_index
  FROM (SELECT ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) s
          FROM ar.payments p JOIN ar.invoices i USING (invoice_id)
         WHERE p.payment_date > date :'as_of' - 365 AND p.payment_date <= :'as_of') x;
\echo '== DSO, BPDSO, ADD over the last 90 days'
WITH r AS (SELECT sum(open_amount) AS ar_total, sum(open_amount) FILTER (WHERE days_past_due <= 0) AS ar_current FROM ar.open_items(:'as_of')),
     s AS (SELECT sum(amount) AS sales FROM ar.invoices WHERE invoice_date > date :'as_of' - 90 AND invoice_date <= :'as_of')
SELECT round(ar.dso(ar_total, sales, 90), 1) AS dso, round(ar.bpdso(ar_current, sales, 90), 1) AS bpdso,
       round(ar.average_days_delinquent(ar.dso(ar_total, sales, 90), ar.bpdso(ar_current, sales, 90)), 1) AS add
  FROM r, s;
\echo '== daily refresh of the views (CALL ar.run_refresh: crash-safe log, one snapshot), scheduled with pg_cron'
CREATE EXTENSION pg_cron;
SELECT ar.schedule_daily_refresh() AS cron_job_id;
SELECT jobname, schedule, command, database FROM cron.job;
CALL ar.run_refresh(:'as_of');
SELECT as_of, status, round(extract(epoch FROM finished_at - started_at)::numeric, 2) AS seconds FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1;
\echo '== ar.portfolio_kpis_monthly, all segments, last 6 months'
SELECT month, credit_sales, ending_receivables, round(dso, 1) AS dso, round(bpdso, 1) AS bpdso, round(add, 1) AS add,
       round(dso_countback, 1) AS countback, round(cei, 1) AS cei, round(adtp_weighted, 1) AS adtp_w, payment_index
  FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' ORDER BY month DESC LIMIT 6;
\echo '== ten largest past-due balances (ar.customer_health)'
SELECT h.customer_id, h.customer_name, h.segment, h.collector, h.past_due_amount, h.oldest_past_due_days AS oldest_dpd,
       round(h.adtp_weighted_12m, 1) AS adtp_w_12m, round(h.adtp_weighted_90d, 1) AS adtp_w_90d, h.payment_index_12m AS pay_idx,
       h.open_disputes AS disputes, h.promises_broken_12m AS broken, f.profile AS demo_profile
  FROM ar.customer_health h JOIN ar.demo_profiles f USING (customer_id)
 ORDER BY h.past_due_amount DESC LIMIT 10;
\echo '== risk: ratings by segment (ar.segment_risk)'
SELECT segment, rating, customers, exposure, round(100 * past_due_share, 1) AS past_due_pct FROM ar.segment_risk ORDER BY segment, rating;
\echo '== the five riskiest accounts and why (ar.customer_risk)'
SELECT r.customer_id, r.score, r.rating, r.risk_segment, f.profile AS demo_profile, array_to_string(r.reasons[1:3], '; ') AS top_reasons
  FROM ar.customer_risk r JOIN ar.demo_profiles f USING (customer_id) ORDER BY r.score DESC LIMIT 5;
\echo '== early warnings (ar.early_warnings)'
SELECT kind, count(*) AS customers, count(*) FILTER (WHERE severity = 'high') AS high FROM ar.early_warnings GROUP BY kind ORDER BY customers DESC;
\echo '== collections worklist: the ten accounts to work first (ar.collections_worklist)'
SELECT priority_rank AS rank, customer_id, collector, priority_score AS priority, risk_segment AS risk, actionable_amount, oldest_undisputed_days AS days,
       next_action, channel, next_action_due AS due
  FROM ar.collections_worklist WHERE status = 'due' ORDER BY priority_rank LIMIT 10;
SELECT status, count(*) AS accounts, sum(past_due_amount) AS past_due FROM ar.collections_worklist GROUP BY status ORDER BY status;
\echo '== the message for the first account (ar.render_message)'
SELECT ar.render_message(template, customer_id, as_of) AS message FROM ar.collections_worklist WHERE priority_rank = 1;
\echo '== order holds to place or release (ar.order_hold_recommendations), hold and dispute SLA (overall)'
SELECT recommendation, count(*) AS customers FROM ar.order_hold_recommendations GROUP BY 1;
SELECT holds_placed, measured, within_sla, within_sla_share, median_days_on_hold, open_holds FROM ar.order_hold_sla WHERE month IS NULL;
SELECT disputes_opened, mean_first_response_hours, median_resolution_days, open_disputes, over_sla FROM ar.dispute_sla WHERE month IS NULL;
\echo '== promise-kept rate per collector (ar.promise_kept_rates)'
SELECT key AS collector, promises, kept, broken, pending, kept_rate FROM ar.promise_kept_rates WHERE dimension = 'collector' ORDER BY key;
\echo '== recovery last month per collector (ar.collections_performance)'
SELECT key AS collector, collected, past_due_at_start, recovered, recovery_rate, avg_days_to_collect_after_contact AS days_after_contact
  FROM ar.collections_performance WHERE dimension = 'collector' AND month = (SELECT max(month) FROM ar.collections_performance) ORDER BY key;
\echo '== cash forecast, next 13 weeks (ar.cash_forecast_weekly)'
SELECT week, week_start, week_end, expected_amount, invoices FROM ar.cash_forecast_weekly ORDER BY week;
SQL
SOCK=$(dirname "$AR_PGDATA")
cat <<EOF

The demo database is running. Connect with:
    psql -h $SOCK -p $AR_PGPORT -U postgres ar_demo
Stop the cluster with:  AR_PGDATA=$AR_PGDATA scripts/pg.sh stop
EOF
