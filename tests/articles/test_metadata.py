import json
import re
from html.parser import HTMLParser

import pytest

from tests.factories import ArticleFactory, SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """Collects <title>, <meta>, <link rel=canonical> and JSON-LD scripts."""

    def __init__(self):
        super().__init__()
        self.title, self.meta, self.links, self.json_ld = "", {}, {}, []
        self._in_title = self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.links["canonical"] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True

    def handle_endtag(self, tag):
        self._in_title = self._in_json_ld = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self._in_json_ld:
            self.json_ld.append(json.loads(data))


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def story():
    politics = SectionFactory(name="Politics", slug="politics")
    writer = UserFactory(username="lahmed", first_name="Leila", last_name="Ahmed")
    return ArticleFactory(
        section=politics,
        headline="Iran Leader Rejects US Deal",
        slug="iran-deal",
        excerpt="A flat refusal.",
        tags=["sanctions", "Iran nuclear deal"],
        authors=[writer],
        image=jpeg_file(),
        image_alt="A square",
    )


def test_every_reader_page_has_its_own_title_description_canonical_and_cards(client, story):
    urls = ["/", "/politics/", story.get_absolute_url(), f"{story.get_absolute_url()}related/", "/tag/sanctions/"]
    urls += ["/author/lahmed/", "/search/?q=iran"]
    titles = set()
    for url in urls:
        page = head(client, url)
        titles.add(page.title)
        assert page.meta["description"], url
        assert page.links["canonical"].startswith("http://testserver/"), url
        for key in ("og:title", "og:description", "og:url", "og:image", "og:type", "twitter:card"):
            assert page.meta.get(key), (url, key)
    assert len(titles) == len(urls)


def test_canonical_drops_reply_parameters_but_keeps_the_page_number(client, story):
    assert head(client, f"{story.get_absolute_url()}?replytocom=5").links["canonical"] == (
        "http://testserver/politics/iran-deal/"
    )
    assert head(client, "/politics/?page=1").links["canonical"] == "http://testserver/politics/"


def test_canonical_names_the_listing_page_shown_not_the_one_asked_for(client, story, settings):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory.create_batch(2, section=story.section, tags=["sanctions"])
    assert head(client, "/politics/?page=2").links["canonical"] == "http://testserver/politics/?page=2"
    assert head(client, "/politics/?page=999").links["canonical"] == "http://testserver/politics/?page=3"
    assert head(client, "/tag/sanctions/?page=abc").links["canonical"] == "http://testserver/tag/sanctions/"
    assert head(client, f"{story.get_absolute_url()}?page=3").links["canonical"] == (
        "http://testserver/politics/iran-deal/"
    )


def test_article_social_card_uses_the_1200_rendition(client, story):
    page = head(client, story.get_absolute_url())
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "Iran Leader Rejects US Deal"
    assert page.meta["og:image"].endswith("-1200.webp")
    assert page.meta["og:image:width"] == "1200"
    assert page.meta["twitter:card"] == "summary_large_image"


def test_article_json_ld_matches_the_page(client, story):
    page = head(client, story.get_absolute_url())
    article, breadcrumbs = page.json_ld[0]
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Iran Leader Rejects US Deal"
    assert article["datePublished"] == story.published_at.isoformat()
    story.refresh_from_db()
    assert article["dateModified"] == story.updated_at.isoformat()
    assert article["author"] == [{"@type": "Person", "name": "Leila Ahmed", "url": "http://testserver/author/lahmed/"}]
    assert article["publisher"]["name"] == "The Newsroom"
    assert article["publisher"]["logo"]["url"].endswith("logo.png")
    assert article["mainEntityOfPage"]["@id"] == "http://testserver/politics/iran-deal/"
    assert article["articleSection"] == "Politics"
    assert set(article["keywords"]) == {"sanctions", "Iran nuclear deal"}
    assert article["image"][0].endswith("-1200.webp")
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == ["Home", "Politics", story.headline]


def test_json_ld_cannot_be_broken_out_of(client):
    story = ArticleFactory(headline="Quote </script><script>alert(1)</script> & more", slug="tricky")
    html = client.get(story.get_absolute_url()).content.decode()
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</script" not in ld
    assert json.loads(ld)[0]["headline"] == story.headline


def test_home_describes_the_website_and_its_search(client, story):
    website = head(client, "/").json_ld[0]
    assert website["@type"] == "WebSite"
    assert website["potentialAction"]["@type"] == "SearchAction"
    assert website["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
