#!/usr/bin/env bash
# The benchmark at its smallest scale, so it cannot rot: it must run, check that
# native and plain-SQL figures agree (bench.sql raises otherwise) and print all rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(AR_BENCH_PGDATA=/tmp/ar_analytics_test/bench AR_BENCH_PGPORT=54318 AR_SHARED_BUFFERS=128MB bench/run.sh smoke 2>&1)
rows=$(grep -c "^| smoke |" <<<"$out" || true)
if [ "$rows" = 12 ]; then echo "ok: benchmark smoke run printed 12 measurements"; else echo "$out"; echo "FAILED: expected 12 rows, got $rows"; exit 1; fi
need() { if grep -q "$1" <<<"$out"; then echo "ok: benchmark reports $2"; else echo "$out"; echo "FAILED: no $2 in the benchmark output"; exit 1; fi; }
need "^Generation: .* rows/s" "generation rows/s"
need "^Daily refresh (.*daily run (CONCURRENTLY" "the daily refresh time"
need "^Peak memory of the refreshing backend: VmHWM [0-9]" "peak memory"
need "^| one customer's health row | [0-9]" "BI read latency"
need "^ERP sync (.* rows/s.*; the same rows again (all unchanged) in .* rows/s; a day's delta of .* Floor: .* rows/s, so the bulk sync costs [0-9.]*x the floor" "the ERP sync rows/s and its floor"
# DuckDB comes from PyPI: a run where it cannot be installed must say so instead
need "^| payment stats per customer | [0-9.]* (\|^DuckDB: not measured" "the DuckDB comparison (or why it is missing)"
rm -rf /tmp/ar_analytics_test/bench
