#!/usr/bin/env bash
# ar.schedule_daily_refresh with pg_cron: the test cluster preloads pg_cron with
# cron.database_name = t_cron (tests/run.sh creates that database).
set -euo pipefail
cd "$(dirname "$0")/../.."
q() { scripts/pg.sh psql -X -q -tA -v ON_ERROR_STOP=1 "$@"; }
check() { if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAILED: $1: expected '$3', got '$2'"; exit 1; fi; }
DB=t_cron
q -d $DB -c "CREATE EXTENSION IF NOT EXISTS pg_cron" -c "DROP EXTENSION IF EXISTS ar_analytics CASCADE" -c "CREATE EXTENSION ar_analytics" 2>/dev/null
q -d $DB -c "SELECT ar.generate_demo(customers => 30, seed => 9, as_of => '2026-06-30')" >/dev/null
q -d $DB -c "SELECT ar.schedule_daily_refresh()" >/dev/null
q -d $DB -c "SELECT ar.schedule_daily_refresh()" >/dev/null
check "calling schedule twice leaves one job" "$(q -d $DB -c "SELECT count(*) FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "1"
check "job runs SELECT ar.refresh() at 02:15 UTC in this database" \
      "$(q -d $DB -c "SELECT schedule || '|' || command || '|' || database FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "15 2 * * *|SELECT ar.refresh()|$DB"
q -d $DB -c "SELECT ar.schedule_daily_refresh('0 3 * * *')" >/dev/null
check "calling again with another schedule updates the job" "$(q -d $DB -c "SELECT string_agg(schedule, ',') FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "0 3 * * *"
cmd=$(q -d $DB -c "SELECT command FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")
check "the job's command works" "$(q -d $DB -c "$cmd" | cut -d: -f1)" "succeeded"
q -d $DB -c "SELECT ar.schedule_daily_refresh('not a schedule')" >/dev/null 2>&1 && { echo "FAILED: a bad schedule was accepted"; exit 1; } || echo "ok: a bad cron schedule is rejected"
check "unschedule removes the job" "$(q -d $DB -c "SELECT ar.unschedule_daily_refresh()")|$(q -d $DB -c "SELECT count(*) FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "t|0"
check "unschedule again reports nothing to remove" "$(q -d $DB -c "SELECT ar.unschedule_daily_refresh()")" "f"
q -d $DB -c "DROP EXTENSION ar_analytics CASCADE" 2>/dev/null
