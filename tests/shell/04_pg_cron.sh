#!/usr/bin/env bash
# ar.schedule_daily_refresh with pg_cron: the test cluster preloads pg_cron with
# cron.database_name = t_cron (tests/run.sh creates that database).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
DB=t_cron
q -d $DB -c "CREATE EXTENSION IF NOT EXISTS pg_cron" -c "DROP EXTENSION IF EXISTS ar_analytics CASCADE" -c "CREATE EXTENSION ar_analytics" 2>/dev/null
q -d $DB -c "SELECT ar.generate_demo(customers => 30, seed => 9, as_of => '2026-06-30')" >/dev/null
q -d $DB -c "SELECT ar.schedule_daily_refresh()" >/dev/null
q -d $DB -c "SELECT ar.schedule_daily_refresh()" >/dev/null
check "calling schedule twice leaves one job" "$(q -d $DB -c "SELECT count(*) FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "1"
check "job runs CALL ar.run_refresh() (crash-safe log, one REPEATABLE READ snapshot) at 02:15 UTC in this database" \
      "$(q -d $DB -c "SELECT schedule || '|' || command || '|' || database FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" \
      "15 2 * * *|CALL ar.run_refresh()|$DB"
q -d $DB -c "SELECT ar.schedule_daily_refresh('0 3 * * *')" >/dev/null
check "calling again with another schedule updates the job" "$(q -d $DB -c "SELECT string_agg(schedule, ',') FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "0 3 * * *"
# pg_cron really runs it: every minute, then wait for the first run (at most 75 s)
q -d $DB -c "SELECT ar.schedule_daily_refresh('* * * * *')" >/dev/null
for _ in $(seq 1 75); do
  [ "$(q -d $DB -c "SELECT count(*) FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = 'ar_analytics_daily_refresh' AND d.status IN ('succeeded', 'failed')")" != 0 ] && break
  sleep 1
done
check "pg_cron ran the job and it succeeded" "$(q -d $DB -c "SELECT string_agg(d.status, ',') FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = 'ar_analytics_daily_refresh'" | cut -d, -f1)" "succeeded"
check "the scheduled refresh is logged as succeeded under repeatable read" \
      "$(q -d $DB -c "SELECT status || '|' || isolation FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1")" "succeeded|repeatable read"
q -d $DB -c "SELECT ar.schedule_daily_refresh('0 3 * * *')" >/dev/null
q -d $DB -c "SELECT ar.schedule_daily_refresh('not a schedule')" >/dev/null 2>&1 && { echo "FAILED: a bad schedule was accepted"; exit 1; } || echo "ok: a bad cron schedule is rejected"
check "unschedule removes the job" "$(q -d $DB -c "SELECT ar.unschedule_daily_refresh()")|$(q -d $DB -c "SELECT count(*) FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "t|0"
check "unschedule again reports nothing to remove" "$(q -d $DB -c "SELECT ar.unschedule_daily_refresh()")" "f"
# A job scheduled by 0.1.0 (SELECT ar.refresh() in a transaction block) moves to CALL ar.run_refresh() on upgrade.
extdir="$(/usr/bin/pg_config --sharedir)/extension"
q -d $DB -c "DROP EXTENSION ar_analytics CASCADE" 2>/dev/null
gunzip -c tests/upgrade/ar_analytics--0.1.0.sql.gz > "$extdir/ar_analytics--0.1.0.sql"
q -d $DB -c "CREATE EXTENSION ar_analytics VERSION '0.1.0'" -c "SELECT ar.schedule_daily_refresh()" >/dev/null
check "a 0.1.0 job runs the old command" "$(q -d $DB -c "SELECT command FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" \
      "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT ar.refresh(); COMMIT;"
q -d $DB -c "ALTER EXTENSION ar_analytics UPDATE"
check "the upgrade moves the job to CALL ar.run_refresh()" "$(q -d $DB -c "SELECT command FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "CALL ar.run_refresh()"
rm -f "$extdir/ar_analytics--0.1.0.sql"
q -d $DB -c "SELECT ar.unschedule_daily_refresh()" >/dev/null
q -d $DB -c "DROP EXTENSION ar_analytics CASCADE" 2>/dev/null
