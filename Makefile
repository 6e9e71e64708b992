# Convenience targets; the scripts are the source of truth (README).
.PHONY: demo test test-bi dashboard install package bench bench-smoke bench-currency bench-shards stop clean
demo:
	scripts/demo.sh
test:
	scripts/test.sh
test-bi:
	scripts/test.sh 11_dashboard
dashboard:
	scripts/dashboard.sh
install:
	scripts/setup.sh
package:
	scripts/setup.sh && scripts/package.sh
bench:
	scripts/setup.sh && bench/run.sh $(or $(BENCH_SCALE),small)
bench-smoke:
	bench/run.sh smoke
bench-currency:
	scripts/setup.sh && bench/currency.sh
bench-shards:
	AR_SHARD_CUSTOMERS=$(or $(BENCH_CUSTOMERS),20000) scripts/test.sh 12_shards
stop:
	AR_PGDATA=/tmp/ar_analytics/pgdata scripts/pg.sh stop
clean:
	cargo clean
