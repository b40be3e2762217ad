import gzip
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import Article
from articles.pagecache import LocalCopies, invalidate_pages, kept, kept_for_generation, path_version_key
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


def test_second_anonymous_view_comes_from_the_cache_without_queries(client, politics, django_assert_num_queries):
    story = ArticleFactory(section=politics, headline="Cached story")
    first = client.get(story.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(story.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_anonymous_pages_carry_public_cache_headers_and_an_etag(client, politics):
    response = client.get("/politics/")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=60" in cache_control
    assert "s-maxage=5" in cache_control
    assert "stale-while-revalidate=300" in cache_control
    assert response["ETag"]
    assert response["Last-Modified"]
    # Nothing else: each extra Vary splits every shared cache's copies. Accept-Encoding must be there: the
    # page is sent compressed to readers who accept it, as rendered to the rest.
    assert response["Vary"] == "Cookie, Accept-Encoding"
    assert client.get("/politics/")["Vary"] == "Cookie, Accept-Encoding"  # and the same when served from the cache


def test_readers_who_accept_gzip_get_the_page_compressed_from_render_and_from_cache(client, politics):
    story = ArticleFactory(section=politics, headline="A story worth compressing", body="<p>Words. </p>" * 200)
    plain = client.get(story.get_absolute_url())
    assert "Content-Encoding" not in plain  # a client that does not ask for gzip never gets it
    assert "Content-Encoding" not in client.get(story.get_absolute_url())  # nor from the cache
    for _ in range(2):
        response = client.get(story.get_absolute_url(), headers={"accept-encoding": "gzip, deflate, br"})
        assert response["X-Page-Cache"] == "hit"
        assert response["Content-Encoding"] == "gzip"
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 3
        assert gzip.decompress(response.content) == plain.content
        assert "Accept-Encoding" in response["Vary"]
        # Another representation, so another ETag (a weak one): a cache holding both never mixes them up.
        assert response["ETag"] == "W/" + plain["ETag"].removesuffix('"') + '-gzip"'
        assert (
            client.get(
                story.get_absolute_url(), headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]}
            ).status_code
            == 304
        )
    assert int(plain["Content-Length"]) == len(plain.content)
    for refused in ("identity", "gzip;q=0", "br, gzip; q=0.0", "x-gzip"):
        assert "Content-Encoding" not in client.get(story.get_absolute_url(), headers={"accept-encoding": refused})
    assert client.get(story.get_absolute_url(), headers={"accept-encoding": "GZIP;q=0.5"})["Content-Encoding"] == "gzip"


def test_the_first_render_is_sent_compressed_too(client, politics):
    response = client.get("/politics/", headers={"accept-encoding": "gzip"})
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert b"Politics" in gzip.decompress(response.content)


def test_what_is_not_worth_compressing_is_sent_as_it_is(client, politics):
    # A redirect (a few bytes): no compressed copy, and no Vary on Accept-Encoding.
    redirect = client.get("/politics", headers={"accept-encoding": "gzip"})
    assert redirect.status_code == 301
    assert redirect.url == "/politics/"  # the view's own response, on the first request
    assert "Content-Encoding" not in redirect
    assert "Accept-Encoding" not in redirect["Vary"]


def test_matching_etag_gets_304_from_render_and_from_cache(client, politics):
    etag = client.get("/politics/")["ETag"]
    assert client.get("/politics/", headers={"if-none-match": etag}).status_code == 304
    assert client.get("/politics/", headers={"if-none-match": '"something-else"'}).status_code == 200


def test_logged_in_users_bypass_the_cache_and_get_private_pages(client, politics):
    ArticleFactory(section=politics)
    client.get("/politics/")
    client.force_login(UserFactory(username="ed", role="Editors"))
    response = client.get("/politics/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_publishing_a_story_shows_on_the_next_request(client, politics):
    ArticleFactory(section=politics, headline="First story")
    assert "Second story" not in client.get("/politics/").content.decode()
    draft = ArticleFactory(section=politics, headline="Second story", status=Article.Status.DRAFT, published_at=None)
    assert "Second story" not in client.get("/politics/").content.decode()
    draft.publish()
    draft.save()
    assert "Second story" in client.get("/politics/").content.decode()


def test_editing_a_headline_shows_on_the_next_request(client, politics):
    story = ArticleFactory(section=politics, headline="Old headline")
    client.get(story.get_absolute_url())
    story.headline = "New headline"
    story.save()
    assert "New headline" in client.get(story.get_absolute_url()).content.decode()


def test_renaming_a_section_updates_the_navigation_everywhere(client, politics):
    client.get("/")
    politics.name = "Power"
    politics.save()
    assert ">Power</a>" in client.get("/").content.decode()


def test_scheduled_story_appears_at_its_minute_through_the_cache(client, politics):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ArticleFactory(section=politics, headline="Morning story")
        ArticleFactory(section=politics, headline="Embargoed story", published_at=timezone.now() + timedelta(minutes=2))
        assert "Embargoed story" not in client.get("/politics/").content.decode()
        clock.shift(timedelta(minutes=1))
        assert client.get("/politics/")["X-Page-Cache"] == "hit"
        clock.shift(timedelta(minutes=1, seconds=2))
        assert "Embargoed story" in client.get("/politics/").content.decode()


def test_posts_and_admin_are_never_served_from_the_cache(client, politics):
    assert "X-Page-Cache" not in client.get("/admin/login/")
    assert "X-Page-Cache" not in client.post("/politics/")


def test_pages_carry_a_content_security_policy_from_render_and_from_cache(client, politics):
    for _ in range(2):
        policy = client.get("/politics/")["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_if_modified_since_gets_304_from_the_cache(client, politics):
    last_modified = client.get("/politics/")["Last-Modified"]
    assert client.get("/politics/", headers={"if-modified-since": last_modified}).status_code == 304


def test_cached_pages_keep_their_security_headers(client, politics):
    first, second = client.get("/politics/"), client.get("/politics/")
    assert second["X-Page-Cache"] == "hit"
    assert second["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"
    assert second["Content-Type"] == first["Content-Type"]


def test_parameters_no_page_reads_share_the_cached_page(client, politics, django_assert_num_queries):
    client.get("/politics/")
    with django_assert_num_queries(0):
        assert client.get("/politics/?utm_source=newsletter&x=123")["X-Page-Cache"] == "hit"
    assert client.get("/politics/?page=2")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=budget")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=harbour")["X-Page-Cache"] == "miss"


def test_cached_article_still_counts_reads_through_its_beacon(client, politics):
    from articles.models import DailyViews

    story = ArticleFactory(section=politics)
    client.get(story.get_absolute_url())
    cached = client.get(story.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    beacon = f'data-view-url="/views/{story.pk}/"'
    assert beacon in cached.content.decode()
    assert client.post(f"/views/{story.pk}/").status_code == 204
    assert DailyViews.objects.get(article=story).count == 1


def test_emptied_cache_never_brings_back_a_page_a_process_kept(client, politics):
    """Each process keeps copies of pages; after the shared cache is emptied (a Redis restart) none may be served."""
    story = ArticleFactory(section=politics, headline="Before the restart")
    cache.clear()  # a first generation, as on a fresh cache server
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    Article.objects.filter(pk=story.pk).update(headline="After the restart")
    cache.clear()
    response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "After the restart" in response.content.decode()


def test_page_kept_by_one_process_follows_a_change_made_in_another(politics):
    story = ArticleFactory(section=politics, headline="Old headline")
    first, second = Client(), Client()  # two handlers: two sets of kept pages, as two gunicorn workers
    first.get(story.get_absolute_url())
    assert first.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    story.headline = "New headline"
    story.save()
    assert "New headline" in second.get(story.get_absolute_url()).content.decode()
    assert "New headline" in first.get(story.get_absolute_url()).content.decode()


def test_value_worked_out_across_a_publish_is_not_kept_for_the_new_content():
    """A related ranking computed while an editor publishes must not be filed under the new generation."""
    value, keep = kept("ranking")
    assert value is None
    invalidate_pages()  # an editor publishes while the value is being worked out
    keep("ranking without the new story", 3600)
    assert kept("ranking")[0] is None


def test_kept_value_never_outlives_the_next_scheduled_publication(politics):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ArticleFactory(section=politics, published_at=timezone.now() + timedelta(seconds=60))
        assert kept_for_generation("ranking", lambda: "before nine", 3600) == "before nine"
        clock.shift(timedelta(seconds=59.5))
        assert kept("ranking")[0] == "before nine"
        clock.shift(timedelta(seconds=0.6))
        assert kept("ranking")[0] is None


def test_page_whose_version_key_was_evicted_is_rendered_again(client, politics):
    """A missing version must not look like the version pages were stored under before anything changed."""
    story = ArticleFactory(section=politics, headline="Before eviction")
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    CommentFactory(article=story, text="Written while the version was evicted")  # saved without a version bump
    cache.delete(path_version_key(story.get_absolute_url()))
    response = Client().get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Written while the version was evicted" in response.content.decode()


def test_page_versions_expire_so_random_addresses_cannot_fill_the_cache(client, politics, settings):
    """Every address asked for gets a version key; keys that never lapsed would let a crawler of random
    addresses grow the cache without end. (Local memory here: its clock is the one time-machine moves.)"""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ttl"}}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/no-such-page-4711/").status_code == 404
        assert cache.get(path_version_key("/no-such-page-4711/")) is not None
        clock.shift(timedelta(days=2))
        assert cache.get(path_version_key("/no-such-page-4711/")) is None


def test_a_process_keeps_copies_up_to_its_budget_dropping_the_oldest_first():
    copies = LocalCopies(max_size=10)
    copies.put("a", "first", 4)
    copies.put("b", "second", 4)
    copies.put("a", "first again", 4)  # replaced, not counted twice
    assert copies.size == 8
    copies.put("c", "third", 4)
    assert copies.get("b") is None  # the least recently stored goes first
    assert (copies.get("a"), copies.get("c")) == ("first again", "third")
    copies.put("huge", "bigger than the budget", 50)
    assert copies.get("huge") == "bigger than the budget"  # the newest copy always stays
    assert copies.get("a") is copies.get("c") is None
    assert copies.size == 50
