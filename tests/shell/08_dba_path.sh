#!/usr/bin/env bash
# The DBA's path, as the README tells it ("Install into your own database"): the four
# shell blocks of that section are extracted from README.md and run as they stand
# (only their first line, CLUSTER/PORT/DB, is this test's), against a Debian cluster
# made by pg_createcluster, with the package made by `make package` installed on a
# machine state without the build tree (the installed files are removed first; the
# blocks run in an empty folder holding only the tarball and the CSV files).
# Checks: a non-superuser database owner cannot create the extension (README says
# why), the first load and refresh, the daily job and a real pg_cron run, an update
# from the previous release with its rows and grants, and the uninstall.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
ROOT=$PWD
CLUSTER=ar_dba_test PORT=${AR_DBA_PORT:-54331} DB=erp
current=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
extdir="$(/usr/bin/pg_config --sharedir)/extension"
libdir="$(/usr/bin/pg_config --pkglibdir)"
dq() { sudo -u postgres psql -X -q -tA -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }
cleanup() {
  pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true
  rm -f "$extdir/ar_analytics--0.3.0.sql"
  if [ -n "${work:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
cleanup

# The README's blocks: the ```sh fences between the marker line and "## The schema".
python3 - README.md > /tmp/ar_dba_blocks.txt <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = s[s.index("<!-- tests/shell/08_dba_path.sh runs"):s.index("\n## The schema")]
blocks = re.findall(r"```sh\n(.*?)```", s, re.S)
print("\0".join(blocks), end="")
PY
mapfile -d '' blocks < /tmp/ar_dba_blocks.txt
check "the README's install section has four shell blocks (install, first load, upgrade, uninstall)" "${#blocks[@]}" "4"
check "the install block starts with the line that names cluster, port and database" "$(head -1 <<<"${blocks[0]}" | cut -d' ' -f1 | cut -d= -f1)" "CLUSTER"
check "the README names the package of the current version" "$(grep -c "ar_analytics-$current-pg15-$(dpkg --print-architecture).tar.gz" <<<"${blocks[0]}${blocks[2]}")" "2"
run_block() {  # block number, database: run it as the README has it, with our first line
  local body="${blocks[$1]}"
  [ "$1" = 0 ] && body=$(tail -n +2 <<<"$body")
  (cd "$work" && CLUSTER=$CLUSTER PORT=$PORT DB=$2 bash -euo pipefail -c "$body")
}

# The package, then a machine state without the build tree: nothing installed but what the tarball brings.
tarball=$(make -s package | tail -1)
[ -f "$tarball" ] || { echo "FAILED: make package made no tarball ($tarball)"; exit 1; }
work=$(mktemp -d /tmp/ar_dba.XXXXXX); chmod 755 "$work"
cp "$tarball" "$work/"
# CSV files of a small demo portfolio, with the README's columns
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS t_dba_src" -c "CREATE DATABASE t_dba_src"
q -d t_dba_src -c "CREATE EXTENSION ar_analytics" -c "SELECT ar.generate_demo(customers => 50, seed => 5, as_of => '2026-06-30')" >/dev/null
q -d t_dba_src -c "\copy (SELECT customer_id, name, segment, collector, credit_limit, payment_terms_days, currency FROM ar.customers) TO '$work/customers.csv' CSV HEADER" \
               -c "\copy (SELECT invoice_id, customer_id, invoice_date, due_date, amount, currency FROM ar.invoices) TO '$work/invoices.csv' CSV HEADER" \
               -c "\copy (SELECT customer_id, invoice_id, payment_date, amount, reference FROM ar.payments ORDER BY payment_id) TO '$work/payments.csv' CSV HEADER"
expected_rows="$(q -d t_dba_src -c "SELECT (SELECT count(*) FROM ar.customers) || '/' || (SELECT count(*) FROM ar.invoices) || '/' || (SELECT count(*) FROM ar.payments)")"
# open amount by definition (docs/metrics.md) for what the CSV files carry (no adjustments):
# invoices dated by the as-of date less the payments applied to them by then
expected_open=$(q -d t_dba_src -c "SELECT sum(i.amount - coalesce((SELECT sum(p.amount) FROM ar.payments p WHERE p.invoice_id = i.invoice_id AND p.payment_date <= '2026-06-30'), 0)) FROM ar.invoices i WHERE i.invoice_date <= '2026-06-30'")
q -d postgres -c "DROP DATABASE t_dba_src"
rm -f "$extdir"/ar_analytics* "$libdir/ar_analytics.so"
check "the build's files are gone before the package is installed" "$(ls "$extdir" | grep -c '^ar_analytics' || true)" "0"

run_block 0 "$DB"
check "the package installs the current version with pg_cron preloaded" \
      "$(dq -d "$DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'ar_analytics'")|$(dq -d "$DB" -c "SHOW shared_preload_libraries")" "$current|pg_cron"
check "the installed library is the package's" "$(tar -xzOf "$tarball" usr/lib/postgresql/15/lib/ar_analytics.so | cmp - "$libdir/ar_analytics.so" && echo same)" "same"
dq -d postgres -c "CREATE ROLE erp_owner LOGIN" -c "CREATE DATABASE erp_owned OWNER erp_owner" >/dev/null
if out=$(dq -d erp_owned -c "SET ROLE erp_owner" -c "CREATE EXTENSION ar_analytics" 2>&1); then
  echo "FAILED: a database owner who is not a superuser created the extension"; exit 1
fi
check "a database owner who is not a superuser cannot create it: $(grep -o 'permission denied to create extension "ar_analytics"' <<<"$out")" \
      "$(grep -c 'permission denied to create extension "ar_analytics"' <<<"$out")" "1"

run_block 1 "$DB"
check "the first load brings every customer, invoice and payment of the CSV files" \
      "$(dq -d "$DB" -c "SELECT (SELECT count(*) FROM ar.customers) || '/' || (SELECT count(*) FROM ar.invoices) || '/' || (SELECT count(*) FROM ar.payments)")" "$expected_rows"
check "the first refresh succeeded with the loaded open amount" \
      "$(dq -d "$DB" -c "SELECT status FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1")|$(dq -d "$DB" -c "SELECT sum(open_amount) FROM ar.customer_health")" "succeeded|$expected_open"
check "the daily refresh is scheduled at 02:15 UTC in $DB" \
      "$(dq -d "$DB" -c "SELECT schedule || '|' || command || '|' || database FROM cron.job WHERE jobname = 'ar_analytics_daily_refresh'")" "15 2 * * *|CALL ar.run_refresh()|$DB"
# a real pg_cron run: the same job every minute, then wait for its first run (at most 75 s)
dq -d "$DB" -c "SELECT ar.schedule_daily_refresh('* * * * *')" >/dev/null
for _ in $(seq 1 75); do
  [ "$(dq -d "$DB" -c "SELECT count(*) FROM cron.job_run_details WHERE status IN ('succeeded', 'failed')")" != 0 ] && break
  sleep 1
done
check "pg_cron ran the refresh in the DBA's cluster, and it succeeded" \
      "$(dq -d "$DB" -c "SELECT string_agg(status, ',') FROM cron.job_run_details")|$(dq -d "$DB" -c "SELECT count(*) FROM ar.refresh_log WHERE status = 'succeeded'")" "succeeded|2"
dq -d "$DB" -c "SELECT ar.schedule_daily_refresh()" >/dev/null

# Upgrading from the previous release: a database made by it (its install script, as a
# server that had it installed still holds it), with rows and a BI role's grant.
prev=$(ls tests/upgrade | sed -n 's/^ar_analytics--\([0-9.]*[0-9]\)\.sql\.gz$/\1/p' | sort -V | grep -vx "$current" | tail -1)
gunzip -c "tests/upgrade/ar_analytics--$prev.sql.gz" > "$extdir/ar_analytics--$prev.sql"
dq -d postgres -c "CREATE DATABASE erp_old" -c "CREATE ROLE erp_bi" >/dev/null
dq -d erp_old -c "CREATE EXTENSION ar_analytics VERSION '$prev'" -c "SELECT ar.generate_demo(customers => 30, seed => 6, as_of => '2026-06-30')" \
   -c "SELECT ar.refresh('2026-06-30')" -c "SELECT ar.grant_reader('erp_bi')" >/dev/null
before=$(dq -d erp_old -c "SELECT count(*) || '/' || sum(open_amount) FROM ar.customer_health")
run_block 2 erp_old
check "ALTER EXTENSION ar_analytics UPDATE from $prev reaches $current, rows and the BI grant kept" \
      "$(dq -d erp_old -c "SELECT extversion FROM pg_extension WHERE extname = 'ar_analytics'")|$(dq -d erp_old -c "SELECT count(*) || '/' || sum(open_amount) FROM ar.customer_health")|$(dq -d erp_old -c "SELECT has_table_privilege('erp_bi', 'ar.portfolio_kpis_monthly', 'SELECT')")" \
      "$current|$before|t"

run_block 3 "$DB"
check "the uninstall left a dump, no schema ar and no scheduled job" \
      "$(test -s "/var/lib/postgresql/$DB-before-uninstall.dump" && echo dump)|$(dq -d "$DB" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ar'")|$(dq -d "$DB" -c "SELECT count(*) FROM cron.job")" "dump|0|0"
rm -f "/var/lib/postgresql/$DB-before-uninstall.dump"
echo "report: DBA path on Debian cluster 15/$CLUSTER (port $PORT) from $(basename "$tarball"): install, non-superuser refused, load $expected_rows, pg_cron run, update $prev -> $current, uninstall"
