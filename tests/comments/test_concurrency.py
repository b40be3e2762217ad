"""Fifty readers posting at the same moment, against a real server with real threads, on PostgreSQL."""

import threading
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

from comments.models import Comment
from tests.comments.factories import CommentFactory
from tests.comments.posting import reply_data
from tests.factories import ArticleFactory

POSTERS = 50

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class RoomyServer(ThreadedWSGIServer):
    """Django's test server accepts 10 waiting connections; fifty at once need a production-sized queue."""

    request_queue_size = 128


class RoomyServerThread(LiveServerThread):
    server_class = RoomyServer


@pytest.fixture
def roomy_live_server(transactional_db):
    """A threaded live server of its own (one thread per request), torn down after the test."""
    thread = RoomyServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def post(server_url, path, data, results, index):
    host = urlsplit(server_url)
    conn = HTTPConnection(host.hostname, host.port, timeout=60)
    try:
        conn.request(
            "POST",
            path,
            body=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": f"poster-{index}"},
        )
        response = conn.getresponse()
        results[index] = (response.status, response.getheader("Location"))
    finally:
        conn.close()


def test_fifty_concurrent_posts_with_threads_are_each_stored_exactly_once(roomy_live_server, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so it cannot show a race")
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SECONDS = 0
    story = ArticleFactory()
    parents = CommentFactory.create_batch(5, article=story)
    path = f"/comments/{story.pk}/post/"
    payloads = [
        reply_data(
            story,
            comment=f"Concurrent reply number {i}",
            author=f"Reader {i}",
            email=f"reader{i}@example.com",
            parent=str(parents[i % 5].pk) if i % 2 else "0",
        )
        for i in range(POSTERS)
    ]
    results = [None] * POSTERS
    start = threading.Barrier(POSTERS)

    def run(i):
        start.wait()
        post(roomy_live_server, path, payloads[i], results, i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(POSTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [status for status, _ in results] == [303] * POSTERS
    stored = Comment.objects.filter(article=story, status=Comment.Status.PENDING)
    assert stored.count() == POSTERS
    texts = sorted(stored.values_list("text", flat=True))
    assert texts == sorted(f"Concurrent reply number {i}" for i in range(POSTERS))
    for i in range(1, POSTERS, 2):
        assert stored.get(text=f"Concurrent reply number {i}").parent_id == parents[i % 5].pk
    locations = {location for _, location in results}
    assert len(locations) == POSTERS


def test_the_same_reply_sent_ten_times_at_once_is_stored_once(roomy_live_server, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so it cannot show a race")
    settings.COMMENTS_MIN_SECONDS = 0
    story = ArticleFactory()
    data = reply_data(story, comment="Clicked the button ten times")
    results = [None] * 10
    start = threading.Barrier(10)

    def run(i):
        start.wait()
        post(roomy_live_server, f"/comments/{story.pk}/post/", data, results, i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _ in results)
    assert statuses.count(303) == 1
    assert set(statuses) <= {303, 409, 429}
    assert Comment.objects.filter(text="Clicked the button ten times").count() == 1
