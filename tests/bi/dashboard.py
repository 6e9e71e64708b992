"""Opens the shipped Superset dashboard in headless Chromium as a person would (log in,
open it, wait for every chart), saves a screenshot, and checks figures the charts show
against the same figures computed in SQL from the ledger (tests/shell/11_dashboard.sh
runs it). The figures are read from the chart-data API responses the dashboard itself
requested, i.e. exactly what the charts drew. Prints "ok: ..." lines; exits 1 on a failure.

usage: dashboard.py URL PSQL_DSN SCREENSHOT"""
import datetime
import json
import pathlib
import sys
import time

import psycopg2
from playwright.sync_api import sync_playwright

url, dsn, shot = sys.argv[1:4]
failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok: " if ok else "FAILED: ") + name + ("" if ok else f" -- {detail}"))
    failures += 0 if ok else 1


sql = psycopg2.connect(dsn)
sql.autocommit = True


def one(query, *args):
    with sql.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchone()[0]


charts = {}      # slice_id -> {"name", "rows", "errors"}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"])
    page = browser.new_page(viewport={"width": 1600, "height": 3600})

    def on_response(resp):
        if "/api/v1/chart/data" not in resp.url or resp.request.method != "POST":
            return
        try:
            body = json.loads(resp.request.post_data or "{}")
            sid = body.get("form_data", {}).get("slice_id")
            data = resp.json()
        except Exception as ex:  # a response that is not JSON is an error of that chart
            sid, data = None, {"message": str(ex)}
        if sid is None:
            return
        results = data.get("result") or []
        charts[sid] = {"status": resp.status, "rows": [r.get("data") for r in results],
                       "errors": [r.get("error") for r in results if r.get("error")] + ([data["message"]] if "message" in data else [])}

    page.on("response", on_response)
    page.goto(url + "/login/")
    page.fill("input#username, input[name=username]", "admin")
    page.fill("input#password, input[name=password]", "admin")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda u: "/login" not in u, timeout=60000)
    check("logged in as admin", "/login" not in page.url, page.url)

    page.goto(url + "/superset/dashboard/ar-receivables/")
    page.wait_for_selector(".dashboard-component-chart-holder", timeout=120000)
    # every chart of the bundle, scrolled into view (Superset renders charts lazily)
    expected = len(list(pathlib.Path("bi/superset/bundle/charts").glob("*.yaml")))
    deadline = time.time() + 180
    while time.time() < deadline and len(charts) < expected:
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(1000)
    page.evaluate("window.scrollTo(0, 0)")
    check(f"the page holds the {expected} charts of the bundle", page.locator(".dashboard-component-chart-holder").count() == expected,
          page.locator(".dashboard-component-chart-holder").count())
    # let the last responses render, then no chart may show an error
    page.wait_for_timeout(3000)
    check(f"all {expected} charts asked the chart-data API", len(charts) == expected, f"{len(charts)} answered")
    check("every chart-data request succeeded", all(c["status"] == 200 and not c["errors"] for c in charts.values()),
          [c["errors"] for c in charts.values() if c["errors"] or c["status"] != 200])
    check("no chart shows an error in the page", page.locator(".dashboard-component-chart-holder [role=alert]").count() == 0,
          page.locator(".dashboard-component-chart-holder [role=alert]").all_inner_texts()[:3])
    loading = page.locator(".dashboard-component-chart-holder .loading").count()
    check("no chart is still loading", loading == 0, f"{loading} loading")
    page.screenshot(path=shot, full_page=True)
    check("screenshot saved", True)
    browser.close()


def rows_of(metric):
    """The data rows of the chart whose query returned this metric label."""
    for c in charts.values():
        for rows in c["rows"]:
            if rows and metric in rows[0]:
                return rows
    return None


as_of = one("SELECT ar.as_of()")
# 1. Open receivables (big number, ar.portfolio_aging) = the open amounts of the ledger as of
#    the refresh date, summed from ar.open_items (the demo is USD only).
shown = rows_of("open_amount")
want = one("SELECT sum(open_amount) FROM ar.open_items(%s)", as_of)
check(f"open receivables shown {shown and shown[0]['open_amount']} = SQL {want}",
      shown is not None and abs(float(shown[0]["open_amount"]) - float(want)) < 0.005, shown)

# 2. Last month's DSO (line chart, ar.portfolio_kpis_monthly, All segments) = ending receivables
#    of the month / credit sales of the month x days of the month, from the ledger: the open
#    amounts as of the month's last day (or the as-of date for the current month) and the
#    invoices dated in the month.
shown = rows_of("dso")
if shown:
    last = max(shown, key=lambda r: r["month"] if "month" in r else r["__timestamp"])
    month = datetime.datetime.utcfromtimestamp((last.get("month") or last.get("__timestamp")) / 1000).date()
    end = min(one("SELECT (date_trunc('month', %s::date) + interval '1 month - 1 day')::date", month), as_of)
    want = one("""SELECT ar.dso((SELECT sum(open_amount) FROM ar.open_items(%s)),
                              (SELECT sum(amount) FROM ar.invoices WHERE invoice_date BETWEEN %s AND %s),
                              %s - %s + 1)""", end, month, end, end, month)
    check(f"DSO of {month} shown {last['dso']} = SQL {want}", abs(float(last["dso"]) - float(want)) < 0.0001, last)
else:
    check("DSO chart data found", False, list(charts.values())[:1])

# 3. High-severity early warnings (big number) = the count in ar.early_warnings.
shown = rows_of("warnings")
want = one("SELECT count(*) FROM ar.early_warnings WHERE severity = 'high'")
check(f"high warnings shown {shown and shown[0]['warnings']} = SQL {want}", shown is not None and int(shown[0]["warnings"]) == want, shown)
check("the high-warnings figure is not zero (the check could fail)", want > 0, want)
sys.exit(1 if failures else 0)
