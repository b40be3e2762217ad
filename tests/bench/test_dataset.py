"""The load-test generator makes what it says, on a small scale, and only what is missing."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from articles.models import Article
from bench import dataset
from comments.models import MAX_DEPTH, Comment
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """Two sections, each with demo stories whose tags and writers the generated ones borrow."""
    writers = UserFactory.create_batch(2)
    for name, tags in (("Politics", ["council", "budget", "roads"]), ("World", ["talks", "trade", "aid"])):
        section = SectionFactory(name=name, slug=name.lower())
        ArticleFactory(section=section, tags=tags, authors=writers[:1])
        ArticleFactory(section=section, tags=tags[:1], authors=writers[1:])
    return writers


def stored_files():
    return sorted(default_storage.listdir("generated")[1]) + sorted(default_storage.listdir("renditions")[1])


@pytest.mark.usefixtures("newsroom")
def test_make_stories_makes_published_numbered_stories_with_their_sections_tags_and_writers():
    assert dataset.make_stories(30) == 30
    stories = Article.objects.filter(slug__startswith="generated-")
    assert sorted(int(slug.split("-")[1]) for slug in stories.values_list("slug", flat=True)) == list(range(1, 31))
    assert stories.published().count() == 30
    for story in stories.prefetch_related("tags", "authors").select_related("section"):
        own = Article.objects.exclude(slug__startswith="generated-").filter(section=story.section)
        own_tags = set(own.values_list("tags__name", flat=True))
        assert {tag.name for tag in story.tags.all()} <= own_tags
        assert len(story.tags.all()) == 3
        assert 1 <= len(story.authors.all()) <= 2
        assert story.created_at == story.updated_at == story.published_at
        assert story.search_vector is not None or connection.vendor != "postgresql"


@pytest.mark.usefixtures("newsroom")
def test_make_stories_writes_files_for_the_shared_pictures_only():
    dataset.make_stories(40)
    pictures = dataset.PICTURES_PER_SECTION * 2
    files = stored_files()
    assert len([name for name in files if name.endswith(".jpg")]) == pictures
    with_pictures = Article.objects.filter(slug__startswith="generated-").exclude(renditions=[])
    assert 0 < with_pictures.count() < 40
    used = {rendition["name"] for story in with_pictures for rendition in story.renditions}
    assert used <= {f"renditions/{name}" for name in files}


@pytest.mark.usefixtures("newsroom")
def test_make_stories_again_makes_only_the_missing_numbers():
    dataset.make_stories(10)
    Article.objects.get(slug="generated-4").delete()
    assert dataset.make_stories(10) == 1
    assert dataset.make_stories(10) == 0
    assert dataset.make_stories(15) == 5
    assert Article.objects.filter(slug__startswith="generated-").count() == 15


@pytest.mark.usefixtures("newsroom")
def test_stories_needed_grows_until_the_biggest_section_reaches_the_deep_page():
    needed = dataset.stories_needed(5, deep_page=3, per_page=4)
    dataset.make_stories(needed)
    politics = Article.objects.published().filter(section__slug="politics").count()
    assert politics >= 12
    assert needed > 5


@pytest.mark.usefixtures("newsroom")
def test_make_replies_tops_up_to_the_total_with_threaded_rendered_replies():
    dataset.make_stories(10)
    assert dataset.make_replies(150) == 150
    assert Comment.objects.count() == 150
    replies = Comment.objects.select_related("parent", "article")
    assert all(reply.article.slug.startswith("generated-") for reply in replies)
    answers = [reply for reply in replies if reply.parent_id]
    assert answers, "some replies answer others"
    for reply in answers:
        assert reply.depth == reply.parent.depth + 1 <= MAX_DEPTH
        assert reply.parent.status == Comment.Status.APPROVED
        assert reply.parent.article_id == reply.article_id
    assert all(reply.html for reply in replies)
    assert Comment.objects.approved().count() > Comment.objects.exclude(status=Comment.Status.APPROVED).count()


@pytest.mark.usefixtures("newsroom")
def test_make_replies_again_makes_nothing():
    dataset.make_stories(5)
    dataset.make_replies(40)
    assert dataset.make_replies(40) == 0
    assert dataset.make_replies(50) == 10
    assert Comment.objects.count() == 50


@pytest.mark.usefixtures("newsroom")
def test_ensure_thread_gives_the_article_its_replies_and_tags_once():
    dataset.make_stories(10)
    story = dataset.choose_article()
    assert not story.slug.startswith("generated-")
    notes = dataset.ensure_thread(story, replies=12, tags=5)
    assert len(notes) == 2
    assert Comment.objects.approved().filter(article=story).count() == 12
    assert Comment.objects.filter(article=story, parent__isnull=False).count() == 4
    assert story.tags.count() == 5
    assert dataset.ensure_thread(story, replies=12, tags=5) == []
