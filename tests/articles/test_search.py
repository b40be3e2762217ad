import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text ranking is PostgreSQL's; CI runs this on PostgreSQL"
)


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


def results(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('class="results"', 1)[1] if 'class="results"' in html else ""


def test_search_finds_a_word_from_a_headline(client, politics):
    ArticleFactory(section=politics, headline="Harbour bridge reopens after repairs")
    ArticleFactory(section=politics, headline="Council debates parking fees")
    found = results(client, "bridge")
    assert "reopens after repairs" in found
    assert "parking" not in found


def test_search_never_returns_drafts_or_scheduled_stories(client, politics):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(section=politics, headline="Secret bridge plan", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(section=politics, headline="Future bridge plan", published_at=timezone.now() + timedelta(hours=1))
    assert "bridge" not in results(client, "bridge").lower()


def test_search_without_a_query_shows_a_friendly_page(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "Search the archive" in response.content.decode()


def test_search_with_no_hits_says_so(client, politics, django_assert_max_num_queries):
    ArticleFactory(section=politics)
    with django_assert_max_num_queries(3, info="nav, the search that finds nothing, next scheduled publication"):
        response = client.get("/search/", {"q": "zeppelin"})
    assert "No stories match “zeppelin”" in response.content.decode()


@pytest.mark.parametrize(
    "nonsense",
    [
        '"unclosed quote',
        "bridge & | ! ( ) : * <-> \\",
        "-",
        "OR OR OR",
        "x" * 10_000,
        "bridge\x00harbour",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "🙂🙂🙂",
        "%_%",
    ],
)
def test_search_survives_nonsense_input(client, politics, nonsense):
    ArticleFactory(section=politics, headline="Harbour bridge reopens")
    response = client.get("/search/", {"q": nonsense})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_box_is_in_every_page_header(client, politics):
    html = client.get("/politics/").content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html


def test_search_results_paginate(client, politics, settings):
    settings.ARTICLES_PER_PAGE = 5
    ArticleFactory.create_batch(7, section=politics, headline="Budget vote tonight")
    assert results(client, "budget").count('class="result"') == 5
    assert results(client, "budget", page=2).count('class="result"') == 2


def test_first_page_of_hits_is_counted_by_the_query_that_ranks_them(client, politics, settings):
    """No second pass over the hits to count them: the count comes with the first page's."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.ARTICLES_PER_PAGE = 5
    ArticleFactory.create_batch(7, section=politics, headline="Budget vote tonight")
    ArticleFactory(section=politics, headline="Harbour bridge reopens")
    with CaptureQueriesContext(connection) as first:
        html = client.get("/search/", {"q": "budget"}).content.decode()
    assert "7 stories found." in html
    assert html.count('class="result"') == 5
    assert not [query["sql"] for query in first.captured_queries if 'AS "__count"' in query["sql"]]
    html = client.get("/search/", {"q": "budget", "page": 2}).content.decode()
    assert "7 stories found." in html
    assert html.count('class="result"') == 2
    assert "Page 2 of 2" in html


@pytest.mark.parametrize("page", ["1", "2", "99", "0", "-1", "x", "1.5", str(10**30)])
def test_any_page_number_of_a_search_gets_a_page(client, politics, settings, page):
    """As on listings: a page number that is not one gives the first page, one out of range the last."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.ARTICLES_PER_PAGE = 5
    ArticleFactory.create_batch(7, section=politics, headline="Budget vote tonight")
    response = client.get("/search/", {"q": "budget", "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "7 stories found." in html
    assert html.count('class="result"') == (5 if page in ("1", "x", "1.5") else 2)


@pytest.mark.parametrize("n", [1, 30])
def test_search_query_budget(client, politics, settings, django_assert_max_num_queries, n):
    settings.PAGE_CACHE_SECONDS = 0
    ArticleFactory.create_batch(n, section=politics, headline="Budget vote tonight", tags=10)
    with django_assert_max_num_queries(
        5, info="search: nav, count, hits, authors, next scheduled publication (once per change)"
    ):
        assert client.get("/search/", {"q": "budget"}).status_code == 200


@postgres_only
def test_search_ranks_headline_above_standfirst_above_body(client, politics):
    ArticleFactory(section=politics, headline="Weather report", body="<p>A flood warning was issued.</p>")
    ArticleFactory(section=politics, headline="City news", standfirst="Flood defences tested.")
    ArticleFactory(section=politics, headline="Flood barrier closes")
    found = results(client, "flood")
    assert found.index("barrier") < found.index("City news") < found.index("Weather report")


@postgres_only
def test_search_counts_tags_added_in_the_admin_and_section_names(client, politics):
    editor = UserFactory(username="editor", role="Editors")
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/add/",
        {
            "headline": "A quiet afternoon",
            "slug": "a-quiet-afternoon",
            "section": politics.pk,
            "body": "<p>Nothing happened.</p>",
            "new_tags": "Ayatollah Ali Khamenei",
            "status": "published",
            "comments_open": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert "quiet afternoon" in results(client, "Khamenei")
    assert "quiet afternoon" in results(client, "politics")


@postgres_only
def test_search_highlights_matches_in_snippets(client, politics):
    ArticleFactory(section=politics, headline="Harbour news", body="<p>The old lighthouse <em>keeper</em> retired.</p>")
    found = results(client, "lighthouse")
    assert "<mark>lighthouse</mark>" in found
    assert "<em>" not in found


@postgres_only
def test_search_uses_recency_to_break_ties(client, politics):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(section=politics, headline="Tram strike older", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(section=politics, headline="Tram strike newer", published_at=timezone.now() - timedelta(days=1))
    found = results(client, "tram strike")
    assert found.index("newer") < found.index("older")


@postgres_only
def test_search_vector_follows_edits(client, politics):
    story = ArticleFactory(section=politics, headline="Parade route announced")
    story.headline = "Marathon route announced"
    story.save()
    assert "Marathon" in results(client, "marathon")
    assert not results(client, "parade")
