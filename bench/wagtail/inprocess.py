"""Where one page's time goes, in-process: run by ``compare.py`` with each site's own python and settings.

``python inprocess.py PATH [--requests N]`` (with ``DJANGO_SETTINGS_MODULE``
and the site's environment set, from the site's folder) renders PATH through
Django's test client, the whole middleware stack included, after a few
warm-up requests; then prints one JSON line: wall time per request, SQL
statements and their time per request (timed around each statement sent to
PostgreSQL), every statement of one request, and the self time of a
profiled batch grouped by where the code lives (Django's ORM, templates,
psycopg, the CMS, the project's own code...).
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

AREAS = (
    ("psycopg (driver, waits for PostgreSQL)", ("/psycopg/", "/psycopg_binary/")),
    ("Django ORM", ("/django/db/",)),
    ("Django templates", ("/django/template/", "/django/templatetags/")),
    ("Django other", ("/django/",)),
    ("Wagtail", ("/wagtail/",)),
    ("taggit, modelcluster, treebeard", ("/taggit/", "/modelcluster/", "/treebeard/")),
    ("nh3, environ, csp, whitenoise", ("/nh3/", "/environ/", "/csp/", "/whitenoise/")),
)


def area_of(filename, own_root):
    if filename.startswith(own_root) and "site-packages" not in filename:
        return "the site's own code"
    for area, needles in AREAS:
        if any(needle in filename for needle in needles):
            return area
    if filename == "~" or filename.startswith("<"):
        return "C built-ins (str, re, dict...)"
    return "Python standard library, other"


class Statements:
    """Times every SQL statement sent; keeps the text of the statements of the current request."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.current = None  # a list while the statements of one request are kept

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            if self.current is not None:
                self.current.append({"ms": round(elapsed * 1000, 3), "sql": " ".join(sql.split())[:300]})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()

    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=args.host)
    for _ in range(10):
        response = client.get(args.path)
        if response.status_code != 200:
            sys.exit(f"{args.path}: status {response.status_code}")

    statements = Statements()
    with connection.execute_wrapper(statements):
        statements.current = one_request = []
        client.get(args.path)
        statements.current = None
        statements.count = 0
        statements.seconds = 0.0
        started = time.perf_counter()
        for _ in range(args.requests):
            client.get(args.path)
        wall = time.perf_counter() - started

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profile.disable()
    stats = pstats.Stats(profile).stats
    own_root = os.getcwd()
    areas = {}
    functions = []
    for (filename, line, name), (_, _, self_time, cumulative, _) in stats.items():
        area = area_of(filename, own_root)
        areas[area] = areas.get(area, 0.0) + self_time
        functions.append((self_time, cumulative, f"{Path(filename).name}:{line}({name})", area))
    functions.sort(reverse=True)
    own = sorted(
        (
            (cumulative, f"{Path(filename).relative_to(own_root)}:{line}({name})")
            for (filename, line, name), (_, _, _, cumulative, _) in stats.items()
            if area_of(filename, own_root) == "the site's own code"
        ),
        reverse=True,
    )
    profiled_total = sum(areas.values())
    per = 1000 / args.requests
    print(
        json.dumps(
            {
                "requests": args.requests,
                "wall_ms": wall * per,
                "sql_statements": statements.count / args.requests,
                "sql_ms": statements.seconds * per,
                "statements_of_one_request": one_request,
                "profiled_ms": profiled_total * per,
                "areas_ms": {area: seconds * per for area, seconds in sorted(areas.items(), key=lambda kv: -kv[1])},
                "own_functions": [{"cumulative_ms": c * per, "function": f} for c, f in own[:15]],
                "top_functions": [
                    {"self_ms": s * per, "cumulative_ms": c * per, "function": f, "area": a}
                    for s, c, f, a in functions[:15]
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
