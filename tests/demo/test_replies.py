from io import StringIO

import pytest

from comments.models import MAX_DEPTH, Comment
from demo.replies import seed_replies
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    sport = SectionFactory(name="Sport", slug="sport")
    return [ArticleFactory(), ArticleFactory(section=sport), ArticleFactory()]


def test_seed_replies_makes_threaded_mostly_approved_replies(stories):
    made = seed_replies(StringIO(), per_article=(20, 20))
    replies = list(Comment.objects.all())
    assert made == len(replies) == 60
    assert sum(r.status == Comment.Status.APPROVED for r in replies) > 40
    assert any(r.parent_id for r in replies)
    for reply in replies:
        assert 1 <= reply.depth <= MAX_DEPTH
        assert reply.html
        if reply.parent_id:
            parent = Comment.objects.get(pk=reply.parent_id)
            assert parent.status == Comment.Status.APPROVED
            assert parent.article_id == reply.article_id
            assert reply.depth == parent.depth + 1
            assert reply.created_at > parent.created_at


def test_seed_replies_twice_adds_nothing(stories):
    seed_replies(StringIO(), per_article=(1, 5))
    before = Comment.objects.count()
    out = StringIO()
    assert seed_replies(out, per_article=(1, 5)) == 0
    assert Comment.objects.count() == before
    assert "nothing to add" in out.getvalue()


def test_seed_replies_twice_adds_nothing_even_where_a_story_got_none():
    ArticleFactory.create_batch(12)
    seed_replies(StringIO(), per_article=(0, 1))
    assert Comment.objects.values("article").distinct().count() < 12
    assert seed_replies(StringIO(), per_article=(0, 1)) == 0


def test_seed_replies_only_on_the_stories_given(stories):
    seed_replies(StringIO(), articles=stories[:1], per_article=(3, 3))
    assert set(Comment.objects.values_list("article_id", flat=True)) == {stories[0].pk}


def test_seed_replies_shows_on_the_article_page(client, stories):
    seed_replies(StringIO(), articles=stories[:1], per_article=(8, 8))
    approved = Comment.objects.approved().filter(article=stories[0]).count()
    html = client.get(stories[0].get_absolute_url()).content.decode()
    assert f"{approved} Comments" in html


def test_seed_replies_makes_their_story_pages_stale_and_no_others(client, stories):
    replied, other = stories[0].get_absolute_url(), stories[1].get_absolute_url()
    client.get(replied), client.get(other)
    seed_replies(StringIO(), articles=stories[:1], per_article=(8, 8))
    page = client.get(replied)
    assert page["X-Page-Cache"] != "hit"
    assert f"{Comment.objects.approved().filter(article=stories[0]).count()} Comments" in page.content.decode()
    assert client.get(other)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("n", [1, 12])
def test_seed_replies_query_budget(django_assert_max_num_queries, n):
    ArticleFactory.create_batch(n)
    # The stories with their sections (for their addresses), those with replies, the moderator,
    # a savepoint and its release, and one insert per depth of thread: none per story or reply.
    with django_assert_max_num_queries(5 + MAX_DEPTH, info="seed_replies: bulk, per depth"):
        assert seed_replies(StringIO(), per_article=(8, 8)) == 8 * n
