#!/usr/bin/env bash
# The benchmark at its smallest scale, so it cannot rot: it must run, check that
# native and plain-SQL figures agree (bench.sql raises otherwise) and print all rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(AR_BENCH_PGDATA=/tmp/ar_analytics_test/bench AR_BENCH_PGPORT=54318 AR_SHARED_BUFFERS=128MB bench/run.sh smoke 2>&1)
rows=$(grep -c "^| smoke |" <<<"$out" || true)
if [ "$rows" = 12 ]; then echo "ok: benchmark smoke run printed 12 measurements"; else echo "$out"; echo "FAILED: expected 12 rows, got $rows"; exit 1; fi
grep -q "^Generation: .* rows/s" <<<"$out" && echo "ok: benchmark reports generation rows/s"
rm -rf /tmp/ar_analytics_test/bench
