#!/usr/bin/env bash
# Cut release NEW (docs/architecture.md, "Releases"): the migrations collected in
# sql/updates/latest-dev.sql become sql/updates/PREV--NEW.sql, latest-dev.sql starts
# empty, and the built install script of NEW is kept as its frozen snapshot
# tests/upgrade/ar_analytics--NEW.sql.gz (the upgrade test installs it from then on).
# Cargo.toml must already say NEW. Run scripts/test.sh afterwards, then commit.
set -euo pipefail
cd "$(dirname "$0")/.."
new=${1:?usage: scripts/release.sh NEW}
[ "$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" = "$new" ] || { echo "Cargo.toml does not say version $new" >&2; exit 1; }
[ ! -e "tests/upgrade/ar_analytics--$new.sql.gz" ] || { echo "$new is released already" >&2; exit 1; }
prev=$(ls tests/upgrade | sed -n 's/^ar_analytics--\([0-9.]*[0-9]\)\.sql\.gz$/\1/p' | sort -V | tail -1)
git mv sql/updates/latest-dev.sql "sql/updates/$prev--$new.sql"
# its header comment (the leading comment lines) says what it is now
{ echo "-- ar_analytics $prev -> $new: the migrations only (released; never edited again)."
  awk 'started || !/^--/ {started = 1; print}' "sql/updates/$prev--$new.sql"; } > "sql/updates/$prev--$new.sql.tmp"
mv "sql/updates/$prev--$new.sql.tmp" "sql/updates/$prev--$new.sql"
cat > sql/updates/latest-dev.sql <<SQL
-- ar_analytics $new -> next release: the migrations since $new (ALTER TABLE, data moves,
-- DROP of objects whose signature changed, detach + drop of a storage materialized view
-- whose query changed). Cutting a release renames this file (scripts/release.sh).
SQL
git add sql/updates/latest-dev.sql
scripts/setup.sh
gzip -9n -c "$(/usr/bin/pg_config --sharedir)/extension/ar_analytics--$new.sql" > "tests/upgrade/ar_analytics--$new.sql.gz"
git add "tests/upgrade/ar_analytics--$new.sql.gz"
echo "released $new: sql/updates/$prev--$new.sql, tests/upgrade/ar_analytics--$new.sql.gz; now run scripts/test.sh and commit"
