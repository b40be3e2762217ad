"""Where the time goes: each page rendered in this process, a first render and a warm-cache render.

Through Django's test client with the page-cache middleware taken out, so
every request renders. *First render*: the cache emptied just before
(``cache.clear()``: no page, no reply thread, no related ids, no
generation), as after a restart or an eviction; the median of ``samples``.
*Warm cache*: the same page rendered again with what the views keep in the
cache (the related ids, the reply thread) still there, as for a reader the
page cache does not serve (a logged-in one). SQL is the time spent waiting
for PostgreSQL; the first render's slowest statement gets
``EXPLAIN (ANALYZE, BUFFERS)``, where the indexes are checked against the
large dataset.
"""

import re
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

PAGE_CACHE = "pagecache.middleware.PageCacheMiddleware"


def timed(client, path):
    """(ms, status, bytes, captured queries) of one request."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status_code, len(response.content), queries.captured_queries


def sql_ms(queries):
    return sum(float(query["time"]) for query in queries) * 1000


def render_pages(pages, samples=5):
    """``pages``: ``{name: (label, path)}``; a dict of timings per name."""
    middleware = [name for name in settings.MIDDLEWARE if name != PAGE_CACHE]
    timings = {}
    with override_settings(MIDDLEWARE=middleware, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        for name, (label, path) in pages.items():
            client.get(path)  # templates, the connection and the URL resolver warmed up
            first = []
            for _ in range(samples):
                cache.clear()
                first.append(timed(client, path))
            warm = [timed(client, path) for _ in range(samples)]
            typical = sorted(first, key=lambda sample: sample[0])[len(first) // 2]
            statements = [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"]} for q in typical[3]]
            slowest = max(statements, key=lambda statement: statement["ms"], default=None)
            plan = explain(slowest["sql"]) if slowest else ""
            timings[name] = {
                "label": label,
                "path": path,
                "status": typical[1],
                "bytes": typical[2],
                "first_ms": round(statistics.median(sample[0] for sample in first), 1),
                "first_sql_ms": round(statistics.median(sql_ms(sample[3]) for sample in first), 1),
                "first_queries": len(typical[3]),
                "warm_ms": round(statistics.median(sample[0] for sample in warm), 1),
                "warm_sql_ms": round(statistics.median(sql_ms(sample[3]) for sample in warm), 1),
                "warm_queries": len(warm[-1][3]),
                "statements": statements,
                "slowest_ms": slowest["ms"] if slowest else 0,
                "slowest_sql": slowest["sql"] if slowest else "",
                "slowest_plan": plan,
                "plan_warnings": plan_warnings(plan),
            }
    cache.clear()
    return timings


def explain(sql):
    if not sql.lstrip().upper().startswith("SELECT") or connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def plan_warnings(plan):
    """What in a plan says a query reads more than a page needs."""
    warnings = []
    scans = re.findall(r"Seq Scan on (\w+) .*?actual time=\S+ rows=(\d+) loops=(\d+)", plan)
    for table in sorted({table for table, rows, loops in scans if int(rows) * int(loops) > 1000}):
        warnings.append(f"sequential scan of {table}")
    if "external merge" in plan or re.search(r"Disk: \d+kB", plan):
        warnings.append("sort spilled to disk")
    big = [int(n) for n in re.findall(r"actual time=[\d.]+\.\.[\d.]+ rows=(\d+)", plan)]
    if big and max(big) > 5000:
        warnings.append(f"a step handles {max(big):,} rows")
    return warnings
