"""One query budget per reader page, measured small and large so a per-row query shows."""

import pytest

from tests.factories import ArticleFactory, SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def render_every_time(settings):
    """Budgets measure the views themselves: the anonymous page cache would hide them."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def newsroom(request):
    n = request.param
    sections = [
        SectionFactory(name=name, slug=name.lower(), position=i)
        for i, name in enumerate(["Politics", "World", "Business"])
    ]
    writers = [UserFactory(username=f"writer{i}") for i in range(3)]
    image = jpeg_file(size=(800, 500))
    stories = []
    for i in range(n):
        stories.append(
            ArticleFactory(
                section=sections[i % 3], tags=10, authors=writers[: 1 + i % 3], image=image if i < 3 else None
            )
        )
    return stories


@pytest.mark.parametrize("newsroom", [1, 30], indirect=True)
def test_home_page_query_budget(client, django_assert_max_num_queries, newsroom):
    with django_assert_max_num_queries(
        6, info="home: sections, lead (flagged, else newest), its authors, latest per section, Most Popular"
    ):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("newsroom", [1, 30], indirect=True)
def test_section_page_query_budget(client, django_assert_max_num_queries, newsroom):
    with django_assert_max_num_queries(5, info="section: the section, count, list, authors, nav"):
        assert client.get("/politics/").status_code == 200


@pytest.mark.parametrize("newsroom", [1, 30], indirect=True)
def test_article_page_query_budget(client, django_assert_max_num_queries, newsroom):
    story = newsroom[0]
    with django_assert_max_num_queries(
        8,
        info="article: nav, story, authors, tags, related ids (+ the section's newest when few share tags) and"
        " stories, Most Popular, replies",
    ):
        assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("newsroom", [1, 30], indirect=True)
def test_related_page_query_budget(client, django_assert_max_num_queries, newsroom):
    story = newsroom[0]
    with django_assert_max_num_queries(
        8,
        info="related: nav, story, its authors and tags, the ranked ids (sharing tags, then the section's"
        " newest), the page's stories and their authors",
    ):
        assert client.get(f"{story.get_absolute_url()}related/").status_code == 200


@pytest.mark.parametrize("newsroom", [1, 30], indirect=True)
def test_tag_page_query_budget(client, django_assert_max_num_queries, newsroom):
    with django_assert_max_num_queries(5, info="tag: the tag, count, list, authors, nav"):
        assert client.get("/tag/topic-0/").status_code == 200


@pytest.mark.parametrize("newsroom", [1, 30], indirect=True)
def test_author_page_query_budget(client, django_assert_max_num_queries, newsroom):
    with django_assert_max_num_queries(5, info="author: the user, count, list, authors, nav"):
        assert client.get("/author/writer0/").status_code == 200
