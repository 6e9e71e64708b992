"""DuckDB as the reference a user might pick instead of the extension.

Loads the same rows the Postgres benchmark used (exported as CSV), checks that
DuckDB's figures agree with the native ones, and times the same per-customer
payment statistics and aging. Prints one JSON object.
Usage: duckdb_compare.py PAYMENTS.csv OPEN_ITEMS.csv NATIVE_CHECK.csv RUNS
"""
import json
import statistics
import sys
import time

import duckdb

pay_csv, open_csv, native_csv, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
con = duckdb.connect()
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
t0 = time.perf_counter()
con.execute(f"""CREATE TABLE pay AS SELECT * FROM read_csv('{pay_csv}', header = false,
    columns = {{'customer_id': 'VARCHAR', 'invoice_date': 'DATE', 'due_date': 'DATE', 'payment_date': 'DATE', 'amount': 'DECIMAL(18,2)'}})""")
con.execute(f"""CREATE TABLE open_items AS SELECT * FROM read_csv('{open_csv}', header = false,
    columns = {{'customer_id': 'VARCHAR', 'open_amount': 'DECIMAL(18,2)', 'days_past_due': 'INTEGER'}})""")
load_s = time.perf_counter() - t0

PAY = """SELECT customer_id, count(*) AS n, avg(payment_date - invoice_date) AS adtp,
       sum(amount * (payment_date - invoice_date)) / sum(amount) AS adtp_weighted,
       avg(greatest(payment_date - due_date, 0)) AS late,
       sum(amount * greatest(payment_date - due_date, 0)) / sum(amount) AS late_weighted,
       sum(amount * (payment_date - due_date)) / sum(amount) AS beyond_weighted,
       avg(CASE WHEN payment_date <= due_date THEN 1 ELSE 0 END) AS on_time
  FROM pay GROUP BY customer_id"""
AGING = """SELECT customer_id,
       sum(open_amount) FILTER (WHERE days_past_due <= 0) AS b0,
       sum(open_amount) FILTER (WHERE days_past_due BETWEEN 1 AND 30) AS b1,
       sum(open_amount) FILTER (WHERE days_past_due BETWEEN 31 AND 60) AS b2,
       sum(open_amount) FILTER (WHERE days_past_due BETWEEN 61 AND 90) AS b3,
       sum(open_amount) FILTER (WHERE days_past_due BETWEEN 91 AND 120) AS b4,
       sum(open_amount) FILTER (WHERE days_past_due > 120) AS b5,
       sum(open_amount) AS total
  FROM open_items GROUP BY customer_id"""

# Agreement with the native results (customer_id, n, adtp, adtp_weighted, late, on_time, total open)
con.execute(f"""CREATE TABLE native AS SELECT * FROM read_csv('{native_csv}', header = false,
    columns = {{'customer_id': 'VARCHAR', 'n': 'BIGINT', 'adtp': 'DOUBLE', 'adtp_weighted': 'DOUBLE', 'late': 'DOUBLE', 'on_time': 'DOUBLE'}})""")
mismatches = con.execute(f"""SELECT count(*) FROM native nv JOIN ({PAY}) d USING (customer_id)
    WHERE nv.n <> d.n OR abs(nv.adtp - d.adtp) > 1e-9 OR abs(nv.adtp_weighted - d.adtp_weighted::DOUBLE) > 1e-9
       OR abs(nv.late - d.late) > 1e-9 OR abs(nv.on_time - d.on_time) > 1e-9""").fetchone()[0]
compared = con.execute("SELECT count(*) FROM native").fetchone()[0]


def timeit(q):
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        con.execute(f"SELECT count(*) FROM ({q}) x").fetchone()
        ms.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1)}


print(json.dumps({"duckdb": duckdb.__version__, "threads": threads, "load_s": round(load_s, 2),
                  "customers_compared": compared, "mismatches": mismatches,
                  "payment_stats": timeit(PAY), "aging": timeit(AGING)}))
