#!/usr/bin/env bash
# The shipped Superset dashboard, tested the way a person uses it (bi/superset/README.md):
# a refreshed demo database in the test cluster, scripts/dashboard.sh (Superset 6.1 in its
# virtualenv, the bundle imported with Superset's own command, the read-only role), then
# tests/bi/dashboard.py logs in with headless Chromium, opens the dashboard, waits for every
# chart, saves a screenshot (target/bi/dashboard.png) and checks three figures against SQL.
# Skipping is not passing: if Superset or Chromium cannot start, this fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
t0=$(date +%s)
if [ ! -x /usr/bin/chromium ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
fi
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS t_bi WITH (FORCE)" -c "CREATE DATABASE t_bi"
q -d t_bi -c "CREATE EXTENSION ar_analytics" -c "SELECT ar.generate_demo(customers => 300, seed => 42, as_of => '2026-06-30')" \
  -c "SELECT ar.refresh('2026-06-30')" >/dev/null
export AR_DB=t_bi SUPERSET_PORT=${AR_TEST_SUPERSET_PORT:-8099} AR_SUPERSET_HOME=/tmp/ar_analytics_test/superset
rm -rf "$AR_SUPERSET_HOME"
trap 'scripts/dashboard.sh stop' EXIT
scripts/dashboard.sh
VENV=${AR_SUPERSET_VENV:-$PWD/target/superset-venv}
"$VENV/bin/pip" install -q --disable-pip-version-check -r bi/superset/requirements-test.txt
mkdir -p target/bi
"$VENV/bin/python" tests/bi/dashboard.py "http://127.0.0.1:$SUPERSET_PORT" \
  "host=$(dirname "$AR_PGDATA") port=$AR_PGPORT user=postgres dbname=t_bi" target/bi/dashboard.png
echo "report: Superset dashboard test: $(( $(date +%s) - t0 )) s (install included when the virtualenv was new)"
