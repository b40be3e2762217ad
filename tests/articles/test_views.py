from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, DailyViews
from tests.factories import ArticleFactory, SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return SectionFactory(
        name="Politics", slug="politics", description="Power, policy and the people in charge.", position=0
    )


@pytest.fixture
def story(politics):
    reporter = UserFactory(username="ahmed", first_name="Leila", last_name="Ahmed")
    return ArticleFactory(
        section=politics,
        headline="Iran Leader Rejects US Deal",
        slug="iran-leader-rejects-us-deal",
        standfirst="A flat refusal, and a warning in return.",
        tags=["Iran nuclear deal", "sanctions"],
        authors=[reporter],
        image=jpeg_file(),
        image_alt="A crowd in a square",
        image_caption="Supporters gather.",
        image_credit="Newsroom staff",
    )


def test_home_shows_lead_story_sections_and_date_line(client, politics, story):
    ArticleFactory(section=politics, headline="A lesser story")
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iran Leader Rejects US Deal" in html
    assert "A lesser story" in html
    assert "Most Popular" in html
    assert timezone.localdate().strftime("%A, %B ") in html
    assert 'href="/politics/"' in html


def test_home_puts_the_flagged_lead_story_first(client, politics):
    ArticleFactory(section=politics, headline="Newest but ordinary")
    ArticleFactory(
        section=politics, headline="The big one", is_lead=True, published_at=timezone.now() - timedelta(days=1)
    )
    html = client.get("/").content.decode()
    lead = html.split('class="lead"', 1)[1].split("</section>", 1)[0]
    assert "The big one" in lead
    assert "Newest but ordinary" not in lead


def test_section_page_lists_newest_first_with_description(client, politics):
    ArticleFactory(section=politics, headline="Older story", published_at=timezone.now() - timedelta(days=2))
    ArticleFactory(section=politics, headline="Newer story", published_at=timezone.now() - timedelta(hours=1))
    ArticleFactory(section=politics, headline="Draft story", status=Article.Status.DRAFT, published_at=None)
    response = client.get("/politics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Power, policy and the people in charge." in html
    assert html.index("Newer story") < html.index("Older story")
    assert "Draft story" not in html


def test_section_page_paginates(client, politics, settings):
    settings.ARTICLES_PER_PAGE = 5
    ArticleFactory.create_batch(12, section=politics)
    assert client.get("/politics/").content.decode().count('class="card card--wide"') == 5
    last = client.get("/politics/?page=3").content.decode()
    assert last.count('class="card card--wide"') == 2
    assert "Page 3 of 3" in last
    assert client.get("/politics/?page=999").status_code == 200
    assert client.get("/politics/?page=abc").status_code == 200


def test_unknown_section_is_the_sites_own_404(client):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def test_article_page_shows_the_story(client, story):
    response = client.get("/politics/iran-leader-rejects-us-deal/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Iran Leader Rejects US Deal" in html
    assert "A flat refusal, and a warning in return." in html
    assert 'href="/tag/iran-nuclear-deal/"' in html
    assert 'href="/author/ahmed/"' in html and "Leila Ahmed" in html
    local = story.published_at.astimezone(timezone.get_current_timezone())
    assert f'<time datetime="{local:%Y-%m-%dT%H:%M:%S}' in html
    assert "Supporters gather." in html and "Newsroom staff" in html
    assert 'alt="A crowd in a square"' in html
    assert "400w" in html and "1200w" in html
    assert 'width="800"' in html
    assert "RELATED ARTICLES" in html
    assert 'aria-label="Breadcrumb"' in html and 'href="/politics/">Politics</a>' in html


def test_article_under_the_wrong_section_redirects_permanently(client, story):
    SectionFactory(name="World", slug="world")
    response = client.get("/world/iran-leader-rejects-us-deal/")
    assert response.status_code == 301
    assert response["Location"] == "/politics/iran-leader-rejects-us-deal/"


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_unpublished_story_is_a_404_to_readers(client, politics, state):
    ArticleFactory(section=politics, slug="secret", **state)
    assert client.get("/politics/secret/").status_code == 404
    assert client.get("/politics/secret/related/").status_code == 404


def test_staff_preview_shows_a_draft_but_not_to_readers(client, politics):
    draft = ArticleFactory(section=politics, headline="Not yet", status=Article.Status.DRAFT, published_at=None)
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    editor = UserFactory(username="ed", role="Editors")
    client.force_login(editor)
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    assert "Not yet" in response.content.decode()
    assert "noindex" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_reporter_cannot_preview_someone_elses_draft(client, politics):
    draft = ArticleFactory(section=politics, status=Article.Status.DRAFT, published_at=None)
    client.force_login(UserFactory(username="rep", role="Reporters"))
    assert client.get(f"/preview/{draft.pk}/").status_code == 302


def test_related_block_and_page(client, politics, story):
    world = SectionFactory(name="World", slug="world")
    close = ArticleFactory(section=world, headline="Close cousin", tags=["Iran nuclear deal", "sanctions"])
    ArticleFactory(section=world, headline="Unrelated weather", tags=["weather"])
    html = client.get(story.get_absolute_url()).content.decode()
    related_block = html.split("RELATED ARTICLES", 1)[1].split("</section>", 1)[0]
    assert "Close cousin" in related_block
    assert "Unrelated weather" not in related_block
    assert f'href="{story.get_absolute_url()}related/"' in html

    page = client.get(f"{story.get_absolute_url()}related/")
    assert page.status_code == 200
    listing = page.content.decode().split("</header>", 2)[2].split("</main>", 1)[0]
    assert "Close cousin" in listing
    assert "Unrelated weather" not in listing
    assert close.get_absolute_url() in listing


def test_tag_page_lists_published_stories_with_the_tag(client, politics, story):
    ArticleFactory(
        section=politics, headline="Hidden draft", tags=["sanctions"], status=Article.Status.DRAFT, published_at=None
    )
    response = client.get("/tag/sanctions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iran Leader Rejects US Deal" in html
    assert "Hidden draft" not in html
    assert client.get("/tag/no-such-tag/").status_code == 404


def test_author_page_lists_their_published_stories(client, story):
    response = client.get("/author/ahmed/")
    assert response.status_code == 200
    assert "Iran Leader Rejects US Deal" in response.content.decode()
    assert client.get("/author/nobody/").status_code == 404


def test_most_popular_uses_counts_and_falls_back_to_newest(client, politics):
    newest = ArticleFactory(section=politics, headline="Brand new and unread", published_at=timezone.now())
    read = ArticleFactory(section=politics, headline="Widely read", published_at=timezone.now() - timedelta(days=3))
    html = client.get("/").content.decode()
    popular = html.split("Most Popular", 1)[1]
    assert popular.index("Brand new and unread") < popular.index("Widely read")

    DailyViews.objects.create(article=read, day=timezone.localdate(), count=40)
    cache.clear()  # counts move Most Popular when the cached page expires, not at once
    popular = client.get("/").content.decode().split("Most Popular", 1)[1]
    assert popular.index("Widely read") < popular.index(newest.headline)


def test_view_beacon_counts_reads_per_day(client, story):
    for reader in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert client.post(f"/views/{story.pk}/", REMOTE_ADDR=reader).status_code == 204
    assert DailyViews.objects.get(article=story, day=timezone.localdate()).count == 3


def test_view_beacon_counts_a_reader_reloading_a_story_once(client, story):
    """Reloads, or a script posting beacons to push a story up Most Popular, count once per reader."""
    for _ in range(20):
        assert client.post(f"/views/{story.pk}/", REMOTE_ADDR="10.0.0.9").status_code == 204
    assert DailyViews.objects.get(article=story).count == 1
    other_story = ArticleFactory(section=story.section)
    client.post(f"/views/{other_story.pk}/", REMOTE_ADDR="10.0.0.9")
    assert DailyViews.objects.get(article=other_story).count == 1


def test_view_beacon_tells_readers_behind_one_address_apart_by_browser(client, story):
    for browser in ("Firefox/140.0", "Chrome/141.0", "Safari/18.0"):
        client.post(f"/views/{story.pk}/", REMOTE_ADDR="10.0.0.9", headers={"user-agent": browser})
    assert DailyViews.objects.get(article=story).count == 3


def test_view_beacon_counts_one_address_a_bounded_number_of_times_whatever_the_browser(client, story, settings):
    """A script inventing a browser string for every beacon cannot push a story up Most Popular."""
    settings.VIEWS_PER_ADDRESS = 5
    for n in range(200):
        client.post(f"/views/{story.pk}/", REMOTE_ADDR="10.0.0.9", headers={"user-agent": f"Browser/{n}"})
    client.post(f"/views/{story.pk}/", REMOTE_ADDR="10.0.0.10")
    assert DailyViews.objects.get(article=story).count == 6


def test_view_beacon_uses_the_address_our_proxy_saw(client, story, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for forwarded in ("203.0.113.7", "1.2.3.4, 203.0.113.7", "9.9.9.9, 203.0.113.7"):  # spoofed prefixes ignored
        client.post(f"/views/{story.pk}/", REMOTE_ADDR="127.0.0.1", headers={"x-forwarded-for": forwarded})
    client.post(f"/views/{story.pk}/", REMOTE_ADDR="127.0.0.1", headers={"x-forwarded-for": "198.51.100.4"})
    assert DailyViews.objects.get(article=story).count == 2


def test_https_is_believed_only_from_a_trusted_proxy(client, politics, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.PAGE_CACHE_SECONDS = 0
    for peer, scheme in (("203.0.113.9", "http"), ("10.0.0.1", "https")):
        html = client.get("/politics/", REMOTE_ADDR=peer, headers={"x-forwarded-proto": "https"}).content.decode()
        assert f'<link rel="canonical" href="{scheme}://testserver' in html


def test_view_beacon_counts_every_read_with_the_guard_off(client, story, settings):
    settings.VIEWS_REPEAT_SECONDS = 0
    for _ in range(3):
        client.post(f"/views/{story.pk}/")
    assert DailyViews.objects.get(article=story).count == 3


def test_view_beacon_ignores_drafts_and_gets(client, politics):
    draft = ArticleFactory(section=politics, status=Article.Status.DRAFT, published_at=None)
    assert client.post(f"/views/{draft.pk}/").status_code == 204
    assert client.get(f"/views/{draft.pk}/").status_code == 405
    assert not DailyViews.objects.exists()


def test_inactive_author_has_no_page(client, story):
    get_user_model().objects.filter(username="ahmed").update(is_active=False)
    assert client.get("/author/ahmed/").status_code == 404


def test_section_pages_together_list_every_story_once_newest_first(client, politics, settings):
    settings.ARTICLES_PER_PAGE = 5
    stories = ArticleFactory.create_batch(12, section=politics)
    expected = [s.headline for s in sorted(stories, key=lambda s: s.published_at, reverse=True)]
    seen = []
    for number in (1, 2, 3):
        html = client.get(f"/politics/?page={number}").content.decode()
        seen += [h for h in expected if f">{h}</a>" in html]
        positions = [html.index(f">{h}</a>") for h in expected if f">{h}</a>" in html]
        assert positions == sorted(positions)
    assert sorted(seen) == sorted(expected) and len(seen) == 12


def test_listing_pages_follow_a_publish_at_once(client, politics, settings):
    settings.ARTICLES_PER_PAGE = 5
    ArticleFactory.create_batch(6, section=politics)
    assert "Page 1 of 2" in client.get("/politics/").content.decode()
    assert "Page 2 of 2" in client.get("/politics/?page=2").content.decode()
    ArticleFactory.create_batch(5, section=politics)
    assert "Page 1 of 3" in client.get("/politics/").content.decode()
    assert "Page 2 of 3" in client.get("/politics/?page=2").content.decode()


def test_favicon_ico_points_at_our_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    assert response["Location"].startswith("/static/")


def test_pagination_links_lead_to_the_next_page(client, politics, settings):
    settings.ARTICLES_PER_PAGE = 5
    ArticleFactory.create_batch(7, section=politics)
    html = client.get("/politics/?utm_source=x").content.decode()
    assert 'href="?page=2"' in html
    assert "utm_source" not in html.split('class="pagination"', 1)[1]
    assert "Page 2 of 2" in client.get("/politics/?page=2").content.decode()


def test_search_pagination_keeps_the_terms(client, politics, settings):
    settings.ARTICLES_PER_PAGE = 2
    ArticleFactory.create_batch(3, section=politics, headline="Budget vote")
    assert 'href="?q=budget%20vote&amp;page=2"' in client.get("/search/", {"q": "budget vote"}).content.decode()


@pytest.mark.parametrize("url", ["/author/%00/", "/author/a%00b/", "/tag/%00/", "/politics/%00/"])
def test_nul_bytes_in_addresses_are_404_not_500(client, politics, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/", "/politics/", "/robots.txt", "/news-sitemap.xml", "/feed/"])
def test_head_requests_are_answered(client, politics, url):
    ArticleFactory(section=politics)
    assert client.head(url).status_code == 200


def test_navigation_marks_the_current_section(client, story):
    for url in ("/politics/", story.get_absolute_url()):
        assert 'href="/politics/" aria-current="page"' in client.get(url).content.decode()


def test_related_page_lists_the_closest_stories_up_to_its_cap(client, politics, story, monkeypatch, settings):
    from articles import views

    monkeypatch.setattr(views, "RELATED_PAGE_LIMIT", 3)
    settings.ARTICLES_PER_PAGE = 2
    ArticleFactory.create_batch(5, section=politics, tags=["sanctions"])
    first = client.get(f"{story.get_absolute_url()}related/").content.decode()
    assert "Page 1 of 2" in first
    second = client.get(f"{story.get_absolute_url()}related/?page=2").content.decode()
    assert second.count('class="card card--wide"') == 1


def test_related_page_shows_the_ranking_page_by_page_and_takes_in_a_new_story_when_ranked_again(
    client, politics, story, settings
):
    settings.ARTICLES_PER_PAGE = 2
    now = timezone.now()
    world = SectionFactory(name="World", slug="world")

    def related(headline, tags, hours):
        return ArticleFactory(section=world, headline=headline, tags=tags, published_at=now - timedelta(hours=hours))

    related("Both tags", ["Iran nuclear deal", "sanctions"], 9)
    related("Sanctions, older", ["sanctions"], 8)
    related("Sanctions, newer", ["sanctions"], 1)
    ArticleFactory(section=politics, headline="Politics, no tags", tags=[], published_at=now - timedelta(hours=3))

    def headlines(page):
        html = client.get(f"{story.get_absolute_url()}related/?page={page}").content.decode()
        cards = html.split('<div class="card-grid">', 1)[1].split("</main>", 1)[0]
        return sorted((h for h in HEADLINES if f">{h}<" in cards), key=lambda h: cards.index(f">{h}<"))

    HEADLINES = ["Both tags", "Sanctions, newer", "Sanctions, older", "Politics, no tags", "Also both, new"]
    assert headlines(1) == ["Both tags", "Sanctions, newer"]
    assert headlines(2) == ["Sanctions, older", "Politics, no tags"]
    related("Also both, new", ["Iran nuclear deal", "sanctions"], 0)
    cache.clear()  # the ranking's time is up (PAGE_CACHE_SECONDS), as is the page's
    assert headlines(1) == ["Also both, new", "Both tags"]
    assert headlines(3) == ["Politics, no tags"]


def test_most_popular_ranks_reads_then_tops_up_with_the_newest_unread(politics):
    now = timezone.now()
    stories = {
        name: ArticleFactory(section=politics, headline=name, published_at=now - timedelta(hours=hours))
        for name, hours in [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5), ("old read", 200), ("stale", 300)]
    }
    today = timezone.localdate()
    DailyViews.objects.create(article=stories["old read"], day=today, count=50)
    DailyViews.objects.create(article=stories["c"], day=today, count=7)
    DailyViews.objects.create(article=stories["stale"], day=today - timedelta(days=30), count=500)  # out of the week
    assert [story.headline for story in Article.objects.published().popular(7, 5)] == ["old read", "c", "a", "b", "d"]
