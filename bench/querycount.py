"""Benchmark-only middleware: the number of SQL queries a request made, in an ``X-SQL-Queries`` header.

Installed by ``newsroom/settings.py`` only when ``BENCH_QUERY_HEADER=1`` is set
(``bench/servers.py`` sets it for the benchmark's gunicorns), as the outermost middleware, so that a page served
whole from the page cache reports 0.
"""

from contextlib import ExitStack

from django.db import connections

HEADER = "X-SQL-Queries"


class QueryCounter:
    """An ``execute_wrapper`` that counts statements (an ``executemany`` counts once)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountHeaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        with ExitStack() as wrapped:
            for alias in connections:
                wrapped.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(counter.count)
        return response
