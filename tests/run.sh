#!/usr/bin/env bash
# The whole test suite: pure-Rust unit and property tests, then every SQL test
# file in tests/sql against the installed extension in a throwaway cluster, then
# the shell tests (dump/restore, pg_cron). Prints "N passed, M failed" at the end.
# Usage: tests/run.sh [name-filter]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export AR_PGDATA=${AR_TEST_PGDATA:-/tmp/ar_analytics_test/pgdata}
export AR_PGPORT=${AR_TEST_PGPORT:-54316}
export AR_CRON_DB=t_cron
export AR_SHARED_BUFFERS=256MB
export AR_TEST_DATA=$ROOT/tests/data   # what the tests read; nothing outside the repository
FILTER=${1:-}
passed=0; failed=0; failures=()

echo "== pure-Rust tests (ar_core: unit + property tests)"
if cargo test -p ar_core --release 2>&1 | tee /tmp/ar_core_test.log | grep -E "^test result|FAILED|panicked"; then :; fi
n=$(grep -E "^test result" /tmp/ar_core_test.log | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
passed=$((passed + ${n% *})); failed=$((failed + ${n#* }))
if ! grep -q "^test result: ok" /tmp/ar_core_test.log; then failed=$((failed + 1)); failures+=("cargo test -p ar_core"); fi

echo "== starting throwaway cluster at $AR_PGDATA"
scripts/pg.sh destroy; scripts/pg.sh start || { echo "could not start the test cluster"; echo "0 passed, 1 failed"; exit 1; }
PSQL=(scripts/pg.sh psql -X -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE t_cron" >/dev/null

for f in tests/sql/[0-9]*.sql; do
  name=$(basename "$f" .sql)
  [[ -n "$FILTER" && "$name" != *"$FILTER"* ]] && continue
  db="t_${name//[^a-z0-9_]/_}"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
  "${PSQL[@]}" -d "$db" -c "CREATE EXTENSION ar_analytics" -f tests/sql/_helpers.sql >/dev/null
  out=$("${PSQL[@]}" -d "$db" -f "$f" 2>&1)
  rc=$?
  oks=$(grep -c "NOTICE:  ok: " <<<"$out")
  passed=$((passed + oks))
  if [ $rc -ne 0 ]; then
    failed=$((failed + 1)); failures+=("$name")
    echo "FAIL $name ($oks checks passed before the failure)"; grep -E "ERROR|FAILED" <<<"$out" | head -5 | sed 's/^/    /'
  else
    echo "ok   $name ($oks checks)"
  fi
  grep -E "(INFO|NOTICE):  report: " <<<"$out" | sed -E "s/.*(INFO|NOTICE):  report: /    /"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
done

for f in tests/shell/[0-9]*.sh; do
  [ -e "$f" ] || continue
  name=$(basename "$f" .sh)
  [[ -n "$FILTER" && "$name" != *"$FILTER"* ]] && continue
  out=$(bash "$f" 2>&1); rc=$?
  oks=$(grep -c "^ok: " <<<"$out")
  passed=$((passed + oks))
  if [ $rc -ne 0 ]; then
    failed=$((failed + 1)); failures+=("$name"); echo "FAIL $name"; tail -8 <<<"$out" | sed 's/^/    /'
  else
    echo "ok   $name ($oks checks)"
  fi
  grep -E "^report: " <<<"$out" | sed 's/^report: /    /'
done

scripts/pg.sh stop
[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
