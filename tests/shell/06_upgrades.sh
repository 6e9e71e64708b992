#!/usr/bin/env bash
# Upgrades. tests/upgrade/ar_analytics--V.sql keeps the install script of every
# released version V. This test
#  1. fails when the install script of the current version differs from its
#     released snapshot (a schema change needs a new version and an upgrade script);
#  2. for every older released version A: installs A's script, loads a demo
#     portfolio and refreshes, runs ALTER EXTENSION ar_analytics UPDATE through the
#     sql/ar_analytics--A--B.sql chain, checks that every row survived and the
#     views refresh with the same figures, and that the upgraded schema is the one a
#     fresh install of the current version builds (tests/upgrade/catalog.sql: every
#     object of the extension with its full definition and comment).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
extdir="$(/usr/bin/pg_config --sharedir)/extension"
current=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
normalize() {  # drop comments (pgrx writes source paths and line numbers in them) and blank
               # lines, and sort: pgrx orders unconnected objects differently from build to build
  python3 - "$1" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r"/\*.*?\*/", "", s, flags=re.S)
print("\n".join(sorted(l.rstrip() for l in s.splitlines() if l.strip() and not l.lstrip().startswith("--"))))
PY
}
snapshot=tests/upgrade/ar_analytics--$current.sql
[ -f "$snapshot" ] || { echo "FAILED: no snapshot $snapshot of the current version's install script; add it when releasing $current"; exit 1; }
if ! diff -q <(normalize "$snapshot") <(normalize "$extdir/ar_analytics--$current.sql") >/dev/null; then
  diff <(normalize "$snapshot") <(normalize "$extdir/ar_analytics--$current.sql") > /tmp/ar_upgrade_diff.txt || true
  head -20 /tmp/ar_upgrade_diff.txt
  echo "FAILED: the install script of released version $current changed. Bump the version in Cargo.toml, add sql/ar_analytics--$current--NEW.sql, snapshot the new script as tests/upgrade/ar_analytics--NEW.sql"
  exit 1
fi
echo "ok: the install script of $current matches its released snapshot"

tested=0
catalog() { q -d "$1" -f tests/upgrade/catalog.sql | sort; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS t_fresh" -c "CREATE DATABASE t_fresh"
q -d t_fresh -c "CREATE EXTENSION ar_analytics"
catalog t_fresh > /tmp/ar_catalog_fresh.txt
check "the catalog description covers the extension's objects" "$(($(grep -c ' :: ' /tmp/ar_catalog_fresh.txt) > 150))" "1"
figures="SELECT (SELECT count(*) FROM ar.invoices) || '/' || (SELECT count(*) FROM ar.payments) || '/' || (SELECT count(*) FROM ar.promises) || '/' || (SELECT sum(open_amount) FROM ar.customer_health) || '/' || (SELECT count(*) FROM ar.customer_health_history) || '/' || (SELECT count(*) FROM ar.customer_risk_history) || '/' || (SELECT sum(score) FROM ar.customer_risk)"
for old in tests/upgrade/ar_analytics--*.sql; do
  v=$(basename "$old" .sql); v=${v#ar_analytics--}
  [ "$v" = "$current" ] && continue
  cp "$old" "$extdir/ar_analytics--$v.sql"
  q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS t_upgrade" -c "CREATE DATABASE t_upgrade"
  q -d t_upgrade -c "CREATE EXTENSION ar_analytics VERSION '$v'" -c "SELECT ar.generate_demo(customers => 40, seed => 4, as_of => '2026-06-30')" -c "SELECT ar.refresh('2026-06-30')" >/dev/null
  q -d postgres -c "DROP ROLE IF EXISTS ar_t_upgrade_bi" -c "CREATE ROLE ar_t_upgrade_bi"
  q -d t_upgrade -c "SELECT ar.grant_reader('ar_t_upgrade_bi')" >/dev/null
  before=$(q -d t_upgrade -c "$figures")
  q -d t_upgrade -c "ALTER EXTENSION ar_analytics UPDATE TO '$current'"
  check "upgrade $v -> $current reaches $current" "$(q -d t_upgrade -c "SELECT extversion FROM pg_extension WHERE extname = 'ar_analytics'")" "$current"
  catalog t_upgrade > /tmp/ar_catalog_upgraded.txt
  if diff /tmp/ar_catalog_fresh.txt /tmp/ar_catalog_upgraded.txt > /tmp/ar_catalog_diff.txt; then
    echo "ok: upgrade $v -> $current builds the same schema as a fresh install ($(q -d t_fresh -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'ar_analytics'") objects compared)"
  else
    head -c 3000 /tmp/ar_catalog_diff.txt; echo; echo "FAILED: upgrade $v -> $current differs from a fresh install"; exit 1
  fi
  check "upgrade $v -> $current leaves the rebuilt ADTP trend and monthly KPIs readable before any refresh" \
        "$(q -d t_upgrade -c "SELECT (SELECT count(*) > 0 FROM ar.adtp_trend_monthly) AND (SELECT count(*) > 0 FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments')")" "t"
  # the comparison can fail: one changed comment or column default is seen
  q -d t_upgrade -c "COMMENT ON FUNCTION ar.as_of() IS 'changed'" -c "ALTER TABLE ar.collectors ALTER COLUMN capacity SET DEFAULT 2"
  check "the catalog comparison sees a changed comment and a changed default" "$(catalog t_upgrade | diff - /tmp/ar_catalog_fresh.txt | grep -c '^<')" "2"
  q -d t_upgrade -c "COMMENT ON FUNCTION ar.as_of() IS $(q -d t_fresh -c "SELECT quote_literal(obj_description('ar.as_of()'::regprocedure, 'pg_proc'))")" -c "ALTER TABLE ar.collectors ALTER COLUMN capacity SET DEFAULT 1"
  q -d t_upgrade -c "SELECT ar.refresh('2026-06-30')" >/dev/null
  check "upgrade $v -> $current keeps every row and the refreshed figures" "$(q -d t_upgrade -c "$figures")" "$before"
  check "grants on views rebuilt by the upgrade are kept" "$(q -d t_upgrade -c "SELECT has_table_privilege('ar_t_upgrade_bi', 'ar.portfolio_aging', 'SELECT') AND has_table_privilege('ar_t_upgrade_bi', 'ar.customer_health', 'SELECT') AND has_table_privilege('ar_t_upgrade_bi', 'ar.adtp_trend_monthly', 'SELECT') AND has_table_privilege('ar_t_upgrade_bi', 'ar.portfolio_kpis_monthly', 'SELECT')")" "t"
  check "after the upgrade the new views refresh too" "$(q -d t_upgrade -c "SELECT (SELECT count(*) > 0 FROM ar.collections_worklist) AND (SELECT count(*) = 13 FROM ar.cash_forecast_weekly)")" "t"
  rm -f "$extdir/ar_analytics--$v.sql"
  q -d postgres -c "DROP DATABASE t_upgrade" -c "DROP ROLE ar_t_upgrade_bi"
  tested=$((tested + 1))
done
q -d postgres -c "DROP DATABASE t_fresh"
echo "report: upgrade paths tested: $tested$([ "$tested" = 0 ] && echo " ($current is the first release)")"
