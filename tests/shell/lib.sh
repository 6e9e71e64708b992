# Shared by the shell tests: q runs psql on the test cluster (tuples only, stop on
# error); check NAME ACTUAL EXPECTED prints "ok: NAME" or fails the test.
q() { scripts/pg.sh psql -X -q -tA -v ON_ERROR_STOP=1 "$@"; }
check() { if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAILED: $1: expected '$3', got '$2'"; exit 1; fi; }
