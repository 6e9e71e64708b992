#!/usr/bin/env bash
# The layout rules of the SQL sources (tests/sql_layout.py, docs/architecture.md):
# each source included once, fresh-install files apart, re-applied files idempotent,
# each function and view defined once; and the update-script generator refuses a gap.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
python3 tests/sql_layout.py
# the generator fails on a missing migration instead of writing a script that skips it
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
git ls-files | tar -cf - -T - | tar -xf - -C "$tmp"
current=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
mkdir "$tmp/ext" && gunzip -c "tests/upgrade/ar_analytics--$current.sql.gz" > "$tmp/ext/ar_analytics--$current.sql"
python3 "$tmp/scripts/gen-update-scripts" "$tmp/ext" >/dev/null
echo "ok: the generator writes one direct script per released version ($(ls "$tmp/ext" | grep -c -- '--.*--'))"
rm "$tmp/sql/updates/0.2.0--0.3.0.sql"
if out=$(python3 "$tmp/scripts/gen-update-scripts" "$tmp/ext" 2>&1); then echo "FAILED: the generator accepted a gap in the migrations"; exit 1; fi
check "the generator refuses a gap in the migration chain" "$(grep -c "a gap after 0.2.0" <<<"$out")" "1"
