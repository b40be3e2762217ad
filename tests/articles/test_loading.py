import pytest
from django.core.files.storage import default_storage

from articles.loading import load_stories
from articles.models import Article, Tag
from tests.factories import SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_width(settings):
    settings.RENDITION_WIDTHS = (160,)


def illustrated_stories(n):
    """``n`` new published stories whose pictures are stored, as an importer would leave them before loading."""
    section = SectionFactory()
    stories = []
    for i in range(n):
        story = Article(
            headline=f"Harbour story {i}",
            section=section,
            status=Article.Status.PUBLISHED,
            body=f"<p>Harbour board meeting number {i}.</p><script>alert(1)</script>",
        )
        story.image.save(f"harbour-{i}.jpg", jpeg_file(size=(320, 200)), save=False)
        stories.append(story)
    return stories


def test_load_stories_leaves_each_story_as_a_save_would():
    tags = [Tag.objects.create(name="harbour"), Tag.objects.create(name="council")]
    writer = UserFactory()
    load_stories(illustrated_stories(2), tags=[tags, tags[:1]], authors=[[writer], [writer.pk]])
    first, second = Article.objects.order_by("headline")
    assert first.slug == "harbour-story-0"
    assert "<script>" not in first.body
    assert first.excerpt.startswith("Harbour board meeting number 0")
    assert [r["width"] for r in first.renditions] == [160]
    assert all(default_storage.exists(r["name"]) for r in first.renditions + second.renditions)
    assert set(first.tags.names()) == {"harbour", "council"}
    assert list(second.tags.names()) == ["harbour"]
    assert list(first.authors.all()) == list(second.authors.all()) == [writer]


@pytest.mark.parametrize("n", [1, 20])
def test_load_stories_query_budget(django_assert_max_num_queries, n):
    tags = [Tag.objects.create(name=f"tag {i}") for i in range(3)]
    writer = UserFactory()
    stories = illustrated_stories(n)
    # The savepoint and its release, the stories, their tag links, their bylines, the search vectors (PostgreSQL).
    with django_assert_max_num_queries(6, info="load_stories: one insert per kind of row, none per story"):
        load_stories(stories, tags=[tags] * n, authors=[[writer]] * n)
    assert Article.objects.exclude(renditions=[]).count() == n
