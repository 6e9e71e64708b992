#!/usr/bin/env bash
# Load a folder of CSV files exported from an ERP and sync them (docs/loading.md):
#   scripts/load.sh DIR [BATCH_LABEL]
# DIR may hold customers.csv, invoices.csv, payments.csv, adjustments.csv (any of
# them); each has a header line naming columns of the staging table (ar.stage_<name>),
# in any order. In one transaction: every file is \copy'd into staging, then
# ar.sync(BATCH_LABEL) applies the good rows and reports the bad ones; the counts and
# the first 20 rejected rows are printed. The label defaults to the folder's name.
# Connection: the usual libpq variables (PGHOST, PGPORT, PGDATABASE, PGUSER), or
# PSQL="psql -h … -d …" for the whole command.
set -euo pipefail
dir=${1:?usage: scripts/load.sh DIR [BATCH_LABEL]}
[ -d "$dir" ] || { echo "load.sh: $dir is not a folder" >&2; exit 2; }
label=${2:-$(basename "$(cd "$dir" && pwd)")}
read -r -a psql <<<"${PSQL:-psql}"
script=$(mktemp /tmp/ar_load.XXXXXX.sql)
trap 'rm -f "$script"' EXIT
found=0
for t in customers invoices payments adjustments; do
  f="$dir/$t.csv"
  [ -f "$f" ] || continue
  header=$(head -n 1 "$f" | tr -d '\r' | tr -d ' ' | tr 'A-Z' 'a-z')
  [[ "$header" =~ ^[a-z_]+(,[a-z_]+)*$ ]] || { echo "load.sh: $f: the first line must name the columns (e.g. invoice_id,customer_id,...), got: $(head -n 1 "$f")" >&2; exit 2; }
  path=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
  [[ "$path" != *"'"* ]] || { echo "load.sh: $path: a quote in the path is not supported" >&2; exit 2; }
  echo "\\copy ar.stage_$t ($header) FROM '$path' WITH (FORMAT csv, HEADER true)" >> "$script"
  found=$((found + 1))
done
[ "$found" -gt 0 ] || { echo "load.sh: no customers.csv, invoices.csv, payments.csv or adjustments.csv in $dir" >&2; exit 2; }
cat >> "$script" <<'SQL'
SELECT * FROM ar.sync(:'label');
SELECT count(*) > 0 AS has_rejects FROM ar.sync_rejects WHERE batch = (SELECT max(batch) FROM ar.sync_batches) \gset
\if :has_rejects
\echo first rejected rows (all of them: SELECT * FROM ar.sync_rejects WHERE batch = <batch>):
SELECT "table", sqlstate, reason, row_data
  FROM ar.sync_rejects WHERE batch = (SELECT max(batch) FROM ar.sync_batches)
 ORDER BY array_position(ARRAY['customers', 'invoices', 'payments', 'adjustments'], "table"), reason
 LIMIT 20;
\endif
SQL
"${psql[@]}" -X -q -v ON_ERROR_STOP=1 -1 -v label="$label" -f "$script"
