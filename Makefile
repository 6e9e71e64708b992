# Convenience targets; the scripts are the source of truth (README).
.PHONY: demo test install package bench bench-smoke stop clean
demo:
	scripts/demo.sh
test:
	scripts/test.sh
install:
	scripts/setup.sh
package:
	scripts/setup.sh && scripts/package.sh
bench:
	scripts/setup.sh && bench/run.sh $(or $(BENCH_SCALE),small)
bench-smoke:
	bench/run.sh smoke
stop:
	AR_PGDATA=/tmp/ar_analytics/pgdata scripts/pg.sh stop
clean:
	cargo clean
