"""Sitemaps, the Google News sitemap and robots.txt, read as a crawler would."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics", position=0)


def read_xml(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 -- our own response, not untrusted input


def urls_with_lastmod(root):
    """{loc: lastmod (aware datetime, or None)} of a <urlset>."""
    return {
        url.findtext("sm:loc", namespaces=NS): (
            datetime.fromisoformat(url.findtext("sm:lastmod", namespaces=NS))
            if url.find("sm:lastmod", NS) is not None
            else None
        )
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_index_lists_each_child_sitemap(client, politics):
    ArticleFactory(section=politics, tags=["Budget"])
    root = read_xml(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert [sitemap.findtext("sm:loc", namespaces=NS) for sitemap in root.findall("sm:sitemap", NS)] == [
        "http://testserver/sitemap-home.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-tags.xml",
    ]
    assert all(sitemap.findtext("sm:lastmod", namespaces=NS) for sitemap in root.findall("sm:sitemap", NS))


def test_sitemap_index_splits_a_large_child_into_pages(client, politics, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    ArticleFactory.create_batch(5, section=politics)
    root = read_xml(client, "/sitemap.xml")
    locs = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
    assert [loc for loc in locs if "articles" in loc] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    assert len(urls_with_lastmod(read_xml(client, "/sitemap-articles.xml?p=3"))) == 1


@pytest.mark.parametrize(
    "url", ["/sitemap-articles.xml?p=99", "/sitemap-articles.xml?p=0", "/sitemap-articles.xml?p=x"]
)
def test_sitemap_bad_page_number_is_404(client, politics, url):
    ArticleFactory(section=politics)
    assert client.get(url).status_code == 404


def test_sitemap_unknown_child_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_article_sitemap_lists_published_stories_only_with_lastmod(client, politics):
    story = ArticleFactory(section=politics, slug="published-story")
    ArticleFactory(section=politics, slug="draft-story", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(section=politics, slug="scheduled-story", published_at=timezone.now() + timedelta(hours=1))
    urls = urls_with_lastmod(read_xml(client, "/sitemap-articles.xml"))
    assert urls == {"http://testserver/politics/published-story/": story.updated_at.replace(microsecond=0)}


def test_article_sitemap_dates_a_scheduled_story_from_its_publication(client, politics):
    goes_live = timezone.now() + timedelta(hours=3)
    ArticleFactory(section=politics, slug="scheduled-story", published_at=goes_live)
    with time_machine.travel(goes_live + timedelta(minutes=5), tick=False):
        urls = urls_with_lastmod(read_xml(client, "/sitemap-articles.xml"))
    assert urls == {"http://testserver/politics/scheduled-story/": goes_live.replace(microsecond=0)}


def test_section_sitemap_lists_sections_with_published_stories(client, politics):
    empty = SectionFactory(name="Empty", slug="empty")
    ArticleFactory(section=empty, status=Article.Status.DRAFT, published_at=None)
    story = ArticleFactory(section=politics)
    urls = urls_with_lastmod(read_xml(client, "/sitemap-sections.xml"))
    assert urls == {"http://testserver/politics/": story.updated_at.replace(microsecond=0)}


def test_tag_sitemap_lists_only_tags_on_published_stories(client, politics):
    ArticleFactory(section=politics, tags=["Budget", "Schools"])
    ArticleFactory(section=politics, tags=["Leaked draft"], status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(section=politics, tags=["Embargoed"], published_at=timezone.now() + timedelta(hours=1))
    urls = urls_with_lastmod(read_xml(client, "/sitemap-tags.xml"))
    assert set(urls) == {"http://testserver/tag/budget/", "http://testserver/tag/schools/"}
    assert all(urls.values())


def test_home_sitemap_lists_the_front_page(client, politics):
    story = ArticleFactory(section=politics)
    urls = urls_with_lastmod(read_xml(client, "/sitemap-home.xml"))
    assert urls == {"http://testserver/": story.updated_at.replace(microsecond=0)}


def test_sitemaps_follow_the_requests_host_and_scheme(client, settings, politics):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    ArticleFactory(section=politics, slug="a-story")
    index = read_xml(client, "/sitemap.xml", HTTP_HOST="news.example.com", secure=True)
    assert index.findtext("sm:sitemap/sm:loc", namespaces=NS) == "https://news.example.com/sitemap-home.xml"
    urls = urls_with_lastmod(read_xml(client, "/sitemap-articles.xml", HTTP_HOST="news.example.com", secure=True))
    assert list(urls) == ["https://news.example.com/politics/a-story/"]


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(
    ("url", "budget", "info"),
    [
        ("/sitemap.xml", 7, "index: home's latest change; count and latest change of sections, articles, tags"),
        ("/sitemap-articles.xml", 2, "articles: count, page"),
        ("/sitemap-tags.xml", 2, "tags: count, page"),
        ("/sitemap-sections.xml", 2, "sections: count, page"),
        ("/news-sitemap.xml", 1, "news: the stories"),
    ],
)
def test_sitemap_query_budget(client, settings, django_assert_max_num_queries, politics, n, url, budget, info):
    settings.PAGE_CACHE_SECONDS = 0  # measure the view itself, not the page cache
    world = SectionFactory(name="World", slug="world")
    for i in range(n):
        ArticleFactory(section=(politics, world)[i % 2], tags=5)
    with django_assert_max_num_queries(budget, info=info):
        read_xml(client, url)


def test_news_sitemap_lists_only_the_last_48_hours(client, settings, politics):
    now = timezone.now()
    fresh = ArticleFactory(
        section=politics, slug="fresh", headline="Fresh & new <today>", published_at=now - timedelta(hours=1)
    )
    ArticleFactory(section=politics, slug="yesterday", published_at=now - timedelta(hours=47))
    ArticleFactory(section=politics, slug="old", published_at=now - timedelta(hours=49))
    ArticleFactory(section=politics, slug="draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(section=politics, slug="scheduled", published_at=now + timedelta(hours=1))
    root = read_xml(client, "/news-sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)] == [
        "http://testserver/politics/fresh/",
        "http://testserver/politics/yesterday/",
    ]
    news = root.find("sm:url/news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == settings.SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Fresh & new <today>"
    published = datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published.tzinfo is not None
    assert published == fresh.published_at.replace(microsecond=0)


def test_news_sitemap_holds_at_most_1000_stories(client, politics):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Story {i}",
            slug=f"story-{i}",
            section=politics,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(seconds=10 * i + 1),
        )
        for i in range(1005)
    )
    locs = [loc.text for loc in read_xml(client, "/news-sitemap.xml").iterfind("sm:url/sm:loc", NS)]
    assert len(locs) == 1000
    assert locs[0] == "http://testserver/politics/story-0/"


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_private_paths(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/admin/", "/search/", "/preview/", "/comments/", "/views/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines


def test_robots_txt_uses_the_requests_host_and_scheme(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    text = client.get("/robots.txt", HTTP_HOST="news.example.com", secure=True).content.decode()
    assert "Sitemap: https://news.example.com/sitemap.xml" in text.splitlines()


@pytest.mark.parametrize("url", ["/robots.txt", "/news-sitemap.xml", "/sitemap.xml", "/sitemap-articles.xml"])
def test_search_engine_files_carry_nothing_per_visitor(client, politics, url):
    ArticleFactory(section=politics)
    response = client.get(url)
    assert not response.cookies
    assert b"csrf" not in response.content.lower()
