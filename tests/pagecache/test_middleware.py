import gzip
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone

from articles.models import Article
from pagecache.middleware import page_key
from pagecache.versions import version_key
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def without_token(content):
    return re.sub(rb'name="token" value="[^"]*"', b"", content)


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
    assert sorted(response["Vary"].split(", ")) == ["Accept-Encoding", "Cookie"]
    assert client.get("/politics/")["Vary"] == response["Vary"]  # and the same when served from the cache


def test_readers_who_accept_gzip_get_the_page_compressed_from_render_and_from_cache(client, politics):
    story = ArticleFactory(section=politics, headline="A story worth compressing", body="<p>Words. </p>" * 200)
    plain = client.get(story.get_absolute_url())
    assert "Content-Encoding" not in plain  # a client that does not ask for gzip never gets it
    assert "Content-Encoding" not in client.get(story.get_absolute_url())  # nor from the cache
    for expected in ("miss", "hit", "hit"):
        response = client.get(story.get_absolute_url(), headers={"accept-encoding": "gzip, deflate, br"})
        assert response["X-Page-Cache"] == expected
        assert response["Content-Encoding"] == "gzip"
        assert len(response.content) < len(plain.content) / 3
        # The same page but for the reply form's token, which names the moment each copy was rendered.
        assert without_token(gzip.decompress(response.content)) == without_token(plain.content)
        assert "Accept-Encoding" in response["Vary"]
        # Another representation, so another ETag: a cache holding both never mixes them up.
        assert response["ETag"] != plain["ETag"]
        conditional = {"accept-encoding": "gzip", "if-none-match": response["ETag"]}
        assert client.get(story.get_absolute_url(), headers=conditional).status_code == 304
    for refused in ("identity", "br", ""):
        assert "Content-Encoding" not in client.get(story.get_absolute_url(), headers={"accept-encoding": refused})


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


def test_emptied_cache_never_brings_back_an_old_page(client, politics):
    story = ArticleFactory(section=politics, headline="Before the restart")
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    Article.objects.filter(pk=story.pk).update(headline="After the restart")
    cache.clear()
    response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "After the restart" in response.content.decode()


def test_page_rendered_by_one_process_follows_a_change_made_in_another(politics):
    story = ArticleFactory(section=politics, headline="Old headline")
    first, second = Client(), Client()  # two handlers, as two gunicorn workers
    first.get(story.get_absolute_url())
    assert first.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    story.headline = "New headline"
    story.save()
    assert "New headline" in second.get(story.get_absolute_url()).content.decode()
    assert "New headline" in first.get(story.get_absolute_url()).content.decode()


def test_page_whose_version_key_was_evicted_is_rendered_again(client, politics):
    """A missing version must not look like the version pages were stored under before anything changed."""
    story = ArticleFactory(section=politics, headline="Before eviction")
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    Article.objects.filter(pk=story.pk).update(headline="Written while the version was evicted")  # no bump
    cache.delete(version_key(story.get_absolute_url()))
    response = Client().get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Written while the version was evicted" in response.content.decode()


def test_page_versions_expire_so_random_addresses_cannot_fill_the_cache(client, politics, settings):
    """Every address asked for gets a version key; keys that never lapsed would let a crawler of random
    addresses grow the cache without end. (Local memory here: its clock is the one time-machine moves.)"""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ttl"}}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/no-such-page-4711/").status_code == 404
        assert cache.get(version_key("/no-such-page-4711/")) is not None
        clock.shift(timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1))
        assert cache.get(version_key("/no-such-page-4711/")) is None


def test_while_one_reader_renders_a_stale_page_the_others_get_the_stale_copy(client, politics):
    """After a publish, the readers of a busy page do not all wait for, and each pay for, the same render."""
    story = ArticleFactory(section=politics, headline="Old headline")
    client.get(story.get_absolute_url())
    story.headline = "New headline"
    story.save()
    another_reader_renders = f"{page_key(RequestFactory().get(story.get_absolute_url()))}:rendering"
    cache.add(another_reader_renders, 1)
    meanwhile = client.get(story.get_absolute_url())
    assert meanwhile["X-Page-Cache"] == "stale"
    assert "Old headline" in meanwhile.content.decode()
    cache.delete(another_reader_renders)  # that render is done
    fresh = client.get(story.get_absolute_url())
    assert fresh["X-Page-Cache"] == "miss"
    assert "New headline" in fresh.content.decode()
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_page_past_its_own_moment_is_never_served_stale(client, settings):
    """A page that changes by itself (replies closing) is rendered afresh even while another render runs."""
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(published_at=timezone.now() - timedelta(days=14) + timedelta(minutes=1))
        assert 'id="commentform"' in client.get(story.get_absolute_url()).content.decode()
        cache.add(f"{page_key(RequestFactory().get(story.get_absolute_url()))}:rendering", 1)
        clock.shift(timedelta(minutes=2))
        response = client.get(story.get_absolute_url())
        assert response["X-Page-Cache"] == "miss"
        assert 'id="commentform"' not in response.content.decode()
