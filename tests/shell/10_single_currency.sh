#!/usr/bin/env bash
# Single-currency portfolios give the same results as before multi-currency (0.6.0,
# docs/currency.md): the USD-only demo, generated and refreshed by the released 0.5.0
# and by the current version, has the same rows in every table and every published view
# (the columns 0.5.0 had; md5 of the sorted rows as text, so a changed scale such as
# 100.5 -> 100.50 counts as a difference); and the 0.5.0 database, updated to the current
# version and refreshed again, too.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
extdir="$(/usr/bin/pg_config --sharedir)/extension"
current=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
old=0.5.0
gunzip -c "tests/upgrade/ar_analytics--$old.sql.gz" > "$extdir/ar_analytics--$old.sql"
for d in t_sc_old t_sc_new; do q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d"; done
demo="SELECT ar.generate_demo(customers => 150, seed => 8, as_of => '2026-06-30')"
# 0.9.0's payment-slipping warning also asks for a share of the usual lateness: share 0
# is the rule before it (an all-default policy row in the old database, for the same rows)
q -d t_sc_old -c "CREATE EXTENSION ar_analytics VERSION '$old'" -c "$demo" -c "INSERT INTO ar.rating_policy DEFAULT VALUES" -c "SELECT ar.refresh('2026-06-30')" >/dev/null
q -d t_sc_new -c "CREATE EXTENSION ar_analytics" -c "$demo" -c "INSERT INTO ar.rating_policy (slip_warning_share) VALUES (0)" -c "SELECT ar.refresh('2026-06-30')" >/dev/null

# every table and published view of the old version, with its old columns; the refresh
# log (run times) and the settings row are not results. The cash forecast and its
# accuracy report use the payment outlook since 0.9.0: their old figures are the
# baseline's columns now (compared below).
relations=$(q -d t_sc_old -c "SELECT c.relname || ':' || string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum)
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'ar'::regnamespace AND c.relkind IN ('r', 'v') AND c.relname NOT LIKE '\_%'
   AND c.relname NOT IN ('refresh_log', 'settings', 'cash_forecast_weekly', 'cash_forecast_accuracy')
 GROUP BY c.relname ORDER BY c.relname")
fingerprints() {  # database: one line per relation, its name and the md5 of its sorted rows
  while IFS=: read -r rel cols; do
    echo "$rel $(q -d "$1" -c "SELECT coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), 'empty') || ' ' || count(*) FROM (SELECT $cols FROM ar.$rel) r")"
  done <<<"$relations"
}
baseline() {  # database, columns of the forecast, of the accuracy report (none: 0.5.0 had none): md5 of their rows
  q -d "$1" -c "SELECT md5(string_agg(r::text, '|' ORDER BY r::text)) || ' ' || count(*) FROM (SELECT $2 FROM ar.cash_forecast_weekly) r"
  [ -z "$3" ] || q -d "$1" -c "SELECT md5(string_agg(r::text, '|' ORDER BY r::text)) || ' ' || count(*) FROM (SELECT $3 FROM ar.cash_forecast_accuracy) r"
}
old_cols="week, expected_amount"
new_cols="week, baseline_amount"; new_acc="forecast_as_of, week, baseline_forecast, baseline_actual, baseline_error"
fingerprints t_sc_old > /tmp/ar_sc_old.txt
fingerprints t_sc_new > /tmp/ar_sc_new.txt
check "the baseline forecast of $current is $old's forecast" "$(baseline t_sc_new "$new_cols" "")" "$(baseline t_sc_old "$old_cols" "")"
n=$(wc -l < /tmp/ar_sc_old.txt); rows=$(awk '{s += $3} END {print s}' /tmp/ar_sc_old.txt)
if diff /tmp/ar_sc_old.txt /tmp/ar_sc_new.txt; then
  echo "ok: USD-only demo: $n tables and views ($rows rows) are the same in $old and $current"
else
  echo "FAILED: a single-currency result differs between $old and $current (diff above)"; exit 1
fi
q -d t_sc_old -c "ALTER EXTENSION ar_analytics UPDATE TO '$current'" -c "UPDATE ar.rating_policy SET slip_warning_share = 0" -c "SELECT ar.refresh('2026-06-30')" >/dev/null
check "after the update, the baseline forecast and its backtest equal a fresh $current install's" "$(baseline t_sc_old "$new_cols" "$new_acc")" "$(baseline t_sc_new "$new_cols" "$new_acc")"
fingerprints t_sc_old > /tmp/ar_sc_updated.txt
if diff /tmp/ar_sc_old.txt /tmp/ar_sc_updated.txt; then
  echo "ok: after ALTER EXTENSION UPDATE to $current and a refresh, the same $n tables and views"
else
  echo "FAILED: the updated database's results differ (diff above)"; exit 1
fi
check "the portfolio views say their currency: USD" "$(q -d t_sc_new -c "SELECT string_agg(DISTINCT currency, ',') FROM (SELECT currency FROM ar.portfolio_aging UNION SELECT currency FROM ar.portfolio_kpis_monthly UNION SELECT currency FROM ar.collections_performance) x")" "USD"
for d in t_sc_old t_sc_new; do q -d postgres -c "DROP DATABASE $d"; done
