#!/usr/bin/env python3
"""The rules of the SQL source tree (docs/architecture.md), checked on the files.

1. Every sql/**/*.sql outside sql/updates/ is included exactly once by src/lib.rs,
   and every include exists; no ar_analytics--*.sql lies in sql/ (pgrx would copy it
   as an update script: update scripts are generated).
2. Files under sql/schema/ (fresh install only) hold tables and what belongs to them:
   CREATE TABLE / INDEX, ALTER TABLE, COMMENT, GRANT, pg_extension_config_dump.
3. Every other file is re-applied by each update, so each of its statements must be
   able to run twice: CREATE OR REPLACE, CREATE MATERIALIZED VIEW / INDEX IF NOT
   EXISTS, COMMENT, GRANT, REVOKE, DO, SELECT, DROP ... IF EXISTS (TimescaleDB's list).
4. Each function, procedure, aggregate, view and materialized view is created once
   in the sources (overloads are told apart by their argument types).
Prints "ok: ..." per rule or "FAILED: ..." and exits 1.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def statements(text):
    """Top-level statements of a SQL file (quotes, dollar quotes, comments and
    BEGIN ATOMIC bodies respected), comments stripped."""
    out, buf, i, n, atomic = [], [], 0, len(text), False
    while i < n:
        c = text[i]
        if text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        if c == "'":
            j = i + 1
            while True:
                k = text.index("'", j)
                if text.startswith("''", k):
                    j = k + 2
                    continue
                break
            buf.append(text[i:k + 1]); i = k + 1
            continue
        if c == "$":
            m = re.match(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$", text[i:])
            if m:
                k = text.index(m.group(0), i + len(m.group(0))) + len(m.group(0))
                buf.append(text[i:k]); i = k
                continue
        if not atomic and re.match(r"BEGIN\s+ATOMIC\b", text[i:i + 20], re.I) and (i == 0 or not text[i - 1].isalnum()):
            atomic = True
        if atomic and c == "\n" and re.match(r"\n\s*END\s*;", text[i:]):
            m = re.match(r"\n\s*END\s*;", text[i:])
            buf.append(m.group(0)); i += m.end(); atomic = False
            out.append(" ".join("".join(buf).split())); buf = []
            continue
        if c == ";" and not atomic:
            out.append(" ".join("".join(buf).split())); buf = []
            i += 1
            continue
        buf.append(c); i += 1
    if "".join(buf).strip():
        out.append(" ".join("".join(buf).split()))
    return [s for s in out if s]


SCHEMA_OK = re.compile(r"^(CREATE (UNIQUE )?INDEX |CREATE TABLE |ALTER TABLE |COMMENT ON |GRANT |SELECT pg_catalog\.pg_extension_config_dump\()", re.I)
IDEMPOTENT_OK = re.compile(r"^(CREATE OR REPLACE (FUNCTION|PROCEDURE|AGGREGATE|VIEW|TRIGGER) |CREATE MATERIALIZED VIEW IF NOT EXISTS |"
                           r"CREATE (UNIQUE )?INDEX IF NOT EXISTS |COMMENT ON |GRANT |REVOKE |DO |SELECT |DROP \w+( \w+)? IF EXISTS )", re.I)
DEFINES = re.compile(r"^CREATE (OR REPLACE )?(FUNCTION|PROCEDURE|AGGREGATE|VIEW|MATERIALIZED VIEW)( IF NOT EXISTS)? (ar\.[a-z_0-9\"]+)\s*(\([^)]*\))?", re.I)


def arg_types(args):
    types = []
    for a in (args or "()")[1:-1].split(","):
        a = re.sub(r"\bDEFAULT\b.*", "", a, flags=re.I).split()
        if not a:
            continue
        if a[0].upper() in ("IN", "OUT", "INOUT", "VARIADIC"):
            a = a[1:]
        types.append(" ".join(a[1:] if len(a) > 1 else a).lower())
    return ",".join(types)


def main():
    failed = []
    lib = open(os.path.join(ROOT, "src", "lib.rs")).read()
    includes = re.findall(r'extension_sql_file!\(\s*"\.\./(sql/[^"]+)"', lib)
    files = sorted(os.path.relpath(os.path.join(d, f), ROOT)
                   for d, _, fs in os.walk(os.path.join(ROOT, "sql")) for f in fs if f.endswith(".sql"))
    sources = [f for f in files if not f.startswith("sql/updates/")]
    problems = [f"{f} is not included by src/lib.rs" for f in sources if f not in includes]
    problems += [f"{f} is included {includes.count(f)} times" for f in set(includes) if includes.count(f) > 1]
    problems += [f"src/lib.rs includes {f}, which does not exist" for f in includes if f not in files]
    problems += [f"{f}: update scripts are generated, none is kept in sql/" for f in files if os.path.basename(f).startswith("ar_analytics--")]
    (failed.extend(problems) if problems else print(f"ok: src/lib.rs includes each of the {len(sources)} SQL sources once, and sql/ holds no update script"))

    bad, defined = [], {}
    for f in sources:
        rule = SCHEMA_OK if f.startswith("sql/schema/") else IDEMPOTENT_OK
        for s in statements(open(os.path.join(ROOT, f)).read()):
            if not rule.match(s):
                bad.append(f"{f}: {'fresh-install file' if rule is SCHEMA_OK else 're-applied file'} holds a statement it may not: {s[:100]}")
            m = DEFINES.match(s)
            if m:
                kind = "view" if "VIEW" in m.group(2).upper() else "function"
                key = (kind, m.group(4).lower().replace('"', ""), arg_types(m.group(5)) if kind == "function" else "")
                defined.setdefault(key, []).append(f)
    (failed.extend(bad) if bad else print("ok: sql/schema/ files hold only table definitions, every other file only statements that can run twice"))
    twice = [f"{k[1]}({k[2]}) is created in {', '.join(v)}" if k[0] == "function" else f"{k[1]} is created in {', '.join(v)}"
             for k, v in defined.items() if len(v) > 1]
    (failed.extend(twice) if twice else print(f"ok: each of the {len(defined)} functions and views of the sources is defined once"))
    if len(defined) < 130:
        failed.append(f"only {len(defined)} definitions were found: the statement splitter is broken")
    for p in failed:
        print("FAILED: " + p)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
