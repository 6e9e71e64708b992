#!/usr/bin/env bash
# The credit manager's dashboard (bi/superset/README.md): after scripts/demo.sh, one
# command installs Apache Superset 6.1 in its own virtualenv, connects it to the demo
# database through a read-only role (ar.grant_reader), imports the shipped bundle
# (bi/superset/bundle) with Superset's own import command, starts Superset on
# localhost and prints the URL and login.
#   scripts/dashboard.sh [start|stop]
#   env: AR_PGDATA, AR_PGPORT, AR_DB (the demo's: /tmp/ar_analytics/pgdata, 54315, ar_demo),
#        AR_BI_ROLE (ar_bi), SUPERSET_PORT (8088), AR_SUPERSET_HOME (target/superset),
#        AR_SUPERSET_VENV (target/superset-venv), SUPERSET_ADMIN_PASSWORD (admin)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export AR_PGDATA=${AR_PGDATA:-/tmp/ar_analytics/pgdata} AR_PGPORT=${AR_PGPORT:-54315}
DB=${AR_DB:-ar_demo}; ROLE=${AR_BI_ROLE:-ar_bi}; PORT=${SUPERSET_PORT:-8088}
export SUPERSET_HOME=${AR_SUPERSET_HOME:-$ROOT/target/superset}
export SUPERSET_CONFIG_PATH=$ROOT/bi/superset/superset_config.py
VENV=${AR_SUPERSET_VENV:-$ROOT/target/superset-venv}
PASSWORD=${SUPERSET_ADMIN_PASSWORD:-admin}
PIDFILE=$SUPERSET_HOME/superset.pid
say() { printf '\033[1m== %s\033[0m\n' "$*"; }

stop() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")"; for _ in $(seq 1 50); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$PIDFILE"
}
if [ "${1:-start}" = stop ]; then stop; exit 0; fi

# The demo database must be there (scripts/demo.sh makes it).
scripts/pg.sh start
if ! scripts/pg.sh psql -X -tA -d "$DB" -c "SELECT 1 FROM pg_extension WHERE extname = 'ar_analytics'" 2>/dev/null | grep -q 1; then
  echo "no database $DB with ar_analytics in the cluster at $AR_PGDATA: run scripts/demo.sh first" >&2; exit 1
fi
if [ -z "$(scripts/pg.sh psql -X -tA -d "$DB" -c "SELECT as_of FROM ar.settings")" ]; then
  echo "the views of $DB were never refreshed: SELECT ar.refresh(date) first" >&2; exit 1
fi

say "read-only role $ROLE (ar.grant_reader)"
scripts/pg.sh psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -v role="$ROLE" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT ar.grant_reader(:'role');
SQL

if [ ! -x "$VENV/bin/superset" ] || ! cmp -s bi/superset/requirements.txt "$VENV/.requirements.txt"; then
  say "installing Apache Superset 6.1 into $VENV (a few minutes the first time)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r bi/superset/requirements.txt
  cp bi/superset/requirements.txt "$VENV/.requirements.txt"
fi
SUPERSET=("$VENV/bin/superset")
mkdir -p "$SUPERSET_HOME"
stop

say "Superset metadata in $SUPERSET_HOME"
fail() { grep -E "Error|error|Exception" "$SUPERSET_HOME/setup.log" | tail -5; echo "scripts/dashboard.sh: $1 failed (log: $SUPERSET_HOME/setup.log)" >&2; exit 1; }
"${SUPERSET[@]}" db upgrade >"$SUPERSET_HOME/setup.log" 2>&1 || fail "superset db upgrade"
if ! "${SUPERSET[@]}" fab list-users 2>/dev/null | grep -q "username:admin"; then
  "${SUPERSET[@]}" fab create-admin --username admin --firstname Credit --lastname Manager \
    --email admin@localhost --password "$PASSWORD" >>"$SUPERSET_HOME/setup.log" 2>&1 || fail "superset fab create-admin"
fi
"${SUPERSET[@]}" init >>"$SUPERSET_HOME/setup.log" 2>&1 || fail "superset init"

say "importing the dashboard bundle (bi/superset/bundle)"
URI="postgresql+psycopg2://$ROLE@/$DB?host=$(dirname "$AR_PGDATA")&port=$AR_PGPORT"
rm -f "$SUPERSET_HOME/bundle.zip"
(cd bi/superset && "$VENV/bin/python" -c '
import sys, zipfile, pathlib
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for p in sorted(pathlib.Path("bundle").rglob("*.yaml")):
        z.write(p, "ar_analytics_dashboard/" + str(p.relative_to("bundle")))' "$SUPERSET_HOME/bundle.zip")
"${SUPERSET[@]}" import-dashboards -p "$SUPERSET_HOME/bundle.zip" -u admin >>"$SUPERSET_HOME/setup.log" 2>&1 \
  || fail "superset import-dashboards"
"$VENV/bin/python" bi/superset/provision.py "$URI" 2>>"$SUPERSET_HOME/setup.log" | sed 's/^/   /' || fail "reading the datasets' columns (bi/superset/provision.py)"

say "starting Superset on http://127.0.0.1:$PORT"
nohup "${SUPERSET[@]}" run -h 127.0.0.1 -p "$PORT" --with-threads >"$SUPERSET_HOME/server.log" 2>&1 &
echo $! > "$PIDFILE"
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; then break; fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then tail -30 "$SUPERSET_HOME/server.log"; echo "Superset did not start" >&2; exit 1; fi
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { tail -30 "$SUPERSET_HOME/server.log"; echo "Superset did not answer in 120 s" >&2; exit 1; }
echo
echo "Dashboard: http://127.0.0.1:$PORT/superset/dashboard/ar-receivables/"
echo "Login:     admin / $PASSWORD   (stop with: scripts/dashboard.sh stop)"
