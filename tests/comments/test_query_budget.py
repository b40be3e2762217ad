"""The comments block adds at most two queries to the article page, whatever the number of replies.

Budget 9 = the article page's own 7 with an empty cache (nav, story,
authors, tags, the related stories' ranked ids and the stories, Most Popular
with its newest fill) + 1 for all the approved replies (the count is taken
from that list) + 1 for the reader's own held replies, only when they carry
the ``comment_pending`` cookie.
"""

import random

import pytest
from django.core.cache import cache

from comments.cookies import PENDING_COOKIE
from comments.models import MAX_DEPTH, Comment
from tests.comments.factories import CommentFactory
from tests.comments.posting import post_reply
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BUDGET = 9


@pytest.fixture(autouse=True)
def render_every_time(settings):
    """Budgets measure the views themselves: the anonymous page cache would hide them."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def busy_story(request):
    """A story with 10 tags, 6 related stories and ``request.param`` approved replies threaded up to depth 5."""
    writers = [UserFactory(username=f"writer{i}") for i in range(3)]
    story = ArticleFactory(tags=10, authors=writers)
    for _ in range(6):
        ArticleFactory(tags=10, authors=writers[:1])
    rng = random.Random(3)
    replies = []
    for _ in range(request.param):
        answerable = [reply for reply in replies[-20:] if reply.depth < MAX_DEPTH]
        parent = rng.choice(answerable) if answerable and rng.random() < 0.6 else None
        replies.append(CommentFactory(article=story, parent=parent))
    assert request.param < 5 or max(reply.depth for reply in replies) == MAX_DEPTH
    return story


@pytest.mark.parametrize("busy_story", [1, 200], indirect=True)
def test_article_page_with_replies_query_budget(client, django_assert_max_num_queries, busy_story):
    cache.clear()
    with django_assert_max_num_queries(BUDGET - 1, info="article page + approved replies"):
        response = client.get(busy_story.get_absolute_url())
    assert response.status_code == 200
    approved = Comment.objects.filter(article=busy_story).count()
    assert f"{approved} Comments" in response.content.decode()
    assert response.content.decode().count('class="comment depth-') == approved


@pytest.mark.parametrize("busy_story", [1, 200], indirect=True)
def test_article_page_for_a_reader_with_held_replies_query_budget(client, django_assert_max_num_queries, busy_story):
    post_reply(client, busy_story, comment="Held for me.")
    assert PENDING_COOKIE in client.cookies
    cache.clear()
    with django_assert_max_num_queries(BUDGET, info="article page + approved replies + this reader's held ones"):
        response = client.get(busy_story.get_absolute_url())
    assert "Held for me." in response.content.decode()


@pytest.mark.parametrize("busy_story", [200], indirect=True)
def test_article_page_with_replytocom_query_budget(client, django_assert_max_num_queries, busy_story):
    target = Comment.objects.filter(article=busy_story, depth=1).first()
    cache.clear()
    with django_assert_max_num_queries(BUDGET - 1, info="article page + approved replies"):
        response = client.get(f"{busy_story.get_absolute_url()}?replytocom={target.pk}")
    assert f'value="{target.pk}"' in response.content.decode()
