"""RSS feeds: parsed with feedparser, as a feed reader would."""

import html
import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.urls import resolve
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics", position=0)


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world", position=1)


@pytest.fixture
def story(politics):
    return ArticleFactory(
        section=politics,
        headline="Q&A: why the <budget> vote matters",
        slug="budget-vote-q-and-a",
        excerpt="Seven votes to two & what comes next for the <city>.",
        tags=["Budget", "City council"],
        authors=[
            UserFactory(username="ahmed", first_name="Leila", last_name="Ahmed"),
            UserFactory(username="roe", first_name="Sam", last_name="Roe"),
        ],
        image=jpeg_file(),
        image_alt="Councillors at the vote",
        image_credit="Newsroom staff",
        published_at=timezone.now() - timedelta(minutes=30),
    )


def read_feed(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return feed


def entry_for(feed, article):
    return next(entry for entry in feed.entries if entry.link.endswith(article.get_absolute_url()))


def test_site_feed_is_well_formed_and_names_the_site(client, settings, story):
    feed = read_feed(client, "/feed/")
    assert feed.feed.title == settings.SITE_NAME
    assert settings.SITE_NAME in feed.feed.description
    assert feed.feed.link == "http://testserver/"


def test_site_feed_holds_the_20_newest_stories_newest_first(client, politics, world):
    stories = [ArticleFactory(section=(politics, world)[i % 2]) for i in range(25)]
    feed = read_feed(client, "/feed/")
    newest = sorted(stories, key=lambda s: s.published_at, reverse=True)[:20]
    assert [entry.link for entry in feed.entries] == [f"http://testserver{s.get_absolute_url()}" for s in newest]


@pytest.mark.parametrize("url", ["/feed/", "/politics/feed/", "/tag/budget/feed/"])
def test_feeds_leave_out_drafts_and_scheduled_stories(client, story, url):
    ArticleFactory(
        section=story.section, headline="A draft", status=Article.Status.DRAFT, published_at=None, tags=["Budget"]
    )
    ArticleFactory(
        section=story.section,
        headline="A scheduled story",
        published_at=timezone.now() + timedelta(hours=2),
        tags=["Budget"],
    )
    titles = [entry.title for entry in read_feed(client, url).entries]
    assert titles == [html.escape(story.headline)]


def test_feed_item_carries_headline_excerpt_link_byline_and_categories(client, story):
    entry = entry_for(read_feed(client, "/feed/"), story)
    assert html.unescape(entry.title) == "Q&A: why the <budget> vote matters"
    assert html.unescape(entry.summary) == "Seven votes to two & what comes next for the <city>."
    assert entry.link == "http://testserver/politics/budget-vote-q-and-a/"
    assert entry.id == entry.link
    assert entry.author in ("Leila Ahmed and Sam Roe", "Sam Roe and Leila Ahmed")
    assert {tag.term for tag in entry.tags} == {"Politics", "Budget", "City council"}


def test_feed_item_date_is_the_publication_time(client, story):
    entry = entry_for(read_feed(client, "/feed/"), story)
    assert parsedate_to_datetime(entry.published) == story.published_at.replace(microsecond=0)


def test_feed_item_with_featured_image_carries_the_1200_rendition_as_media(client, politics, story):
    plain = ArticleFactory(section=politics, headline="No picture")
    feed = read_feed(client, "/feed/")
    rendition = story.image_rendition(1200)
    (media,) = entry_for(feed, story).media_content
    assert media["url"] == f"http://testserver{rendition['url']}"
    assert media["medium"] == "image"
    assert media["type"] == "image/webp"
    assert (int(media["width"]), int(media["height"])) == (1200, rendition["height"])
    assert "media_content" not in entry_for(feed, plain)


def test_feed_links_follow_the_requests_host_and_scheme(client, settings, story):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    feed = read_feed(client, "/feed/", HTTP_HOST="news.example.com", secure=True)
    assert feed.feed.link == "https://news.example.com/"
    entry = entry_for(feed, story)
    assert entry.link == "https://news.example.com/politics/budget-vote-q-and-a/"
    assert entry.media_content[0]["url"].startswith("https://news.example.com/media/")


def test_section_feed_holds_only_that_sections_stories(client, settings, world, story):
    ArticleFactory(section=world, headline="Elsewhere in the world")
    feed = read_feed(client, "/politics/feed/")
    assert feed.feed.title == f"Politics | {settings.SITE_NAME}"
    assert feed.feed.link == "http://testserver/politics/"
    assert [entry.link for entry in feed.entries] == ["http://testserver/politics/budget-vote-q-and-a/"]


def test_tag_feed_holds_only_stories_with_that_tag(client, settings, politics, story):
    ArticleFactory(section=politics, headline="Untagged story")
    ArticleFactory(section=politics, headline="Other topic", tags=["Weather"])
    feed = read_feed(client, "/tag/budget/feed/")
    assert feed.feed.title == f"Stories tagged “Budget” | {settings.SITE_NAME}"
    assert feed.feed.link == "http://testserver/tag/budget/"
    assert [entry.link for entry in feed.entries] == ["http://testserver/politics/budget-vote-q-and-a/"]


@pytest.mark.parametrize("url", ["/no-such-section/feed/", "/tag/no-such-tag/feed/"])
def test_feed_for_unknown_section_or_tag_is_404(client, politics, url):
    assert client.get(url).status_code == 404


def test_section_feed_route_wins_over_an_article_slugged_feed(client, politics):
    ArticleFactory(section=politics, slug="feed")
    assert resolve("/politics/feed/").url_name == "section-feed"
    assert client.get("/politics/feed/")["Content-Type"].startswith("application/rss+xml")


def test_feed_response_carries_nothing_per_visitor(client, story):
    response = client.get("/feed/")
    assert not response.cookies
    assert b"csrf" not in response.content.lower()


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(
    ("url", "budget", "info"),
    [
        ("/feed/", 3, "site feed: stories, their authors, their tags"),
        ("/politics/feed/", 4, "section feed: section, stories, their authors, their tags"),
        ("/tag/topic-0/feed/", 4, "tag feed: tag, stories, their authors, their tags"),
    ],
)
def test_feed_query_budget(client, settings, django_assert_max_num_queries, politics, n, url, budget, info):
    settings.PAGE_CACHE_SECONDS = 0  # measure the feed itself, not the page cache
    writers = [UserFactory(username=f"writer{i}") for i in range(3)]
    image = jpeg_file(size=(1400, 900))
    for i in range(n):
        ArticleFactory(section=politics, tags=10, authors=writers[: 1 + i % 3], image=image if i < 3 else None)
    with django_assert_max_num_queries(budget, info=info):
        feed = read_feed(client, url)
    assert len(feed.entries) == min(n, 20)


def alternate_feeds(page_html):
    """(title, href) of each RSS <link rel="alternate"> in the page."""
    links = re.findall(r"<link [^>]*>", page_html)
    return [
        (html.unescape(re.search(r'title="([^"]*)"', link)[1]), re.search(r'href="([^"]*)"', link)[1])
        for link in links
        if 'rel="alternate"' in link and 'type="application/rss+xml"' in link
    ]


def test_home_page_advertises_the_site_feed(client, settings, story):
    assert alternate_feeds(client.get("/").content.decode()) == [(settings.SITE_NAME, "/feed/")]


def test_section_page_advertises_the_site_and_section_feeds(client, settings, story):
    assert alternate_feeds(client.get("/politics/").content.decode()) == [
        (settings.SITE_NAME, "/feed/"),
        (f"Politics | {settings.SITE_NAME}", "/politics/feed/"),
    ]


def test_tag_page_advertises_the_tag_feed(client, settings, story):
    assert alternate_feeds(client.get("/tag/budget/").content.decode()) == [
        (f"Stories tagged “Budget” | {settings.SITE_NAME}", "/tag/budget/feed/")
    ]
