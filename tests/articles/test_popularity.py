from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import RequestFactory
from django.utils import timezone

from articles.models import DailyViews
from articles.popularity import record_view
from newsroom.errors import server_error
from tests.factories import ArticleFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # like every live-server test here
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database server for concurrency; CI runs it")
def test_concurrent_reads_lose_no_increment():
    story = ArticleFactory()

    def read(_):
        try:
            record_view(story.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(read, range(200)))

    assert DailyViews.objects.get(article=story, day=timezone.localdate()).count == 200


@pytest.mark.django_db
def test_reads_are_counted_per_day():
    story = ArticleFactory()
    yesterday = timezone.localdate() - timedelta(days=1)
    record_view(story.pk, day=yesterday)
    record_view(story.pk)
    record_view(story.pk)
    assert dict(DailyViews.objects.values_list("day", "count")) == {yesterday: 1, timezone.localdate(): 2}


def test_server_error_page_is_our_own_and_needs_no_database(django_assert_num_queries, db):
    request = RequestFactory().get("/boom/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
