#!/usr/bin/env bash
# The whole test suite, from a fresh machine: install what is missing, build and
# install the extension, then run tests/run.sh (Rust unit and property tests, SQL
# tests in a throwaway cluster, dump/restore). Ends with "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec tests/run.sh "$@"
