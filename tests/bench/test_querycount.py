"""The benchmark-only middleware: ``X-SQL-Queries`` on every response, when the bench switch is on."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.querycount import HEADER
from tests.factories import ArticleFactory

BENCH_MIDDLEWARE = "bench.querycount.QueryCountHeaderMiddleware"


def test_query_header_is_off_without_the_bench_switch(client):
    assert BENCH_MIDDLEWARE not in django_settings.MIDDLEWARE
    assert HEADER not in client.get("/healthz/")


@pytest.fixture
def query_header(settings):
    settings.MIDDLEWARE = [BENCH_MIDDLEWARE, *settings.MIDDLEWARE]


@pytest.mark.django_db
@pytest.mark.usefixtures("query_header")
def test_query_header_counts_a_rendered_page_then_zero_for_a_cache_hit(client):
    story = ArticleFactory(tags=3)
    with CaptureQueriesContext(connection) as rendered:
        first = client.get(story.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert int(first[HEADER]) == len(rendered.captured_queries) > 0
    second = client.get(story.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second[HEADER] == "0"


@pytest.mark.usefixtures("query_header")
def test_query_header_says_zero_for_healthz(client):
    assert client.get("/healthz/")[HEADER] == "0"


def test_bench_switch_puts_the_query_header_middleware_outermost():
    """Read in a fresh process: the switch is looked at once, when settings are imported."""
    env = {**os.environ, "BENCH_QUERY_HEADER": "1", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.setdefault("SECRET_KEY", "test")
    code = "import django; from django.conf import settings; django.setup(); print(settings.MIDDLEWARE[0])"
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR
    )
    assert result.stdout.strip() == BENCH_MIDDLEWARE
