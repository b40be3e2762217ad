"""Which cached pages a change empties: only what a reader could see change (``articles.publication``)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import pre_delete
from django.test import Client, RequestFactory
from django.utils import timezone

from articles.loading import load_stories
from articles.models import Article, Section, Tag
from newsroom.errors import server_error
from pagecache.versions import content_version
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def warm(client):
    """Pages read once, so that the next read says whether they stayed cached."""

    def read(*paths):
        for path in paths:
            client.get(path)
        return paths

    return read


def cached(client, path):
    return client.get(path)["X-Page-Cache"] == "hit"


def test_saving_a_draft_leaves_every_page_cached(client, politics, warm):
    story = ArticleFactory(section=politics, headline="Live story", tags=["budget"])
    draft = ArticleFactory(section=politics, status=Article.Status.DRAFT, published_at=None, tags=["budget"])
    paths = warm("/", "/politics/", story.get_absolute_url(), "/tag/budget/")
    draft.headline = "Draft, rewritten"
    draft.body = "<p>Autosaved words.</p>"
    draft.save()
    assert all(cached(client, path) for path in paths)


def test_scheduling_a_story_leaves_pages_cached_until_its_minute(client, politics, warm):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ArticleFactory(section=politics, headline="Morning story")
        paths = warm("/", "/politics/")
        draft = ArticleFactory(section=politics, headline="Embargoed", status=Article.Status.DRAFT, published_at=None)
        draft.publish(when=timezone.now() + timedelta(minutes=5))
        draft.save()
        assert all(cached(client, path) for path in paths)
        clock.shift(timedelta(minutes=5, seconds=1))
        assert "Embargoed" in client.get("/politics/").content.decode()


def test_moving_a_scheduled_story_earlier_shows_it_at_its_new_minute(client, politics, warm):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(section=politics, headline="Embargoed", published_at=timezone.now() + timedelta(hours=2))
        warm("/politics/")
        story.published_at = timezone.now() + timedelta(minutes=1)
        story.save()
        assert cached(client, "/politics/")
        clock.shift(timedelta(minutes=1, seconds=1))
        assert "Embargoed" in client.get("/politics/").content.decode()


def test_unscheduling_a_story_keeps_it_off_the_pages_at_its_old_minute(client, politics):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(
            section=politics, headline="Embargoed", published_at=timezone.now() + timedelta(minutes=1)
        )
        story.status = Article.Status.DRAFT
        story.save()
        clock.shift(timedelta(minutes=2))
        assert "Embargoed" not in client.get("/politics/").content.decode()


@pytest.mark.parametrize("change", ["edit", "unpublish", "delete"])
def test_a_change_to_a_public_story_shows_on_every_page(client, politics, warm, change):
    story = ArticleFactory(section=politics, headline="Old headline")
    warm("/", "/politics/", story.get_absolute_url())
    if change == "edit":
        story.headline = "New headline"
        story.save()
    elif change == "unpublish":
        story.status = Article.Status.DRAFT
        story.save()
    else:
        story.delete()
    for path in ("/", "/politics/"):
        page = client.get(path).content.decode()
        assert ("New headline" in page) == (change == "edit")
        assert "Old headline" not in page


def test_bulk_loaded_stories_show_at_once_and_drafts_among_them_change_nothing(client, politics, warm):
    warm("/politics/")
    load_stories([Article(headline="Loaded draft", section=politics)])
    assert cached(client, "/politics/")
    load_stories([Article(headline="Loaded story", section=politics, status=Article.Status.PUBLISHED)])
    assert "Loaded story" in client.get("/politics/").content.decode()


def test_approving_a_reply_empties_its_story_page_only(client, politics, warm):
    story = ArticleFactory(section=politics)
    other = ArticleFactory(section=politics)
    reply = CommentFactory(article=story, status="pending", text="Worth reading")
    paths = warm("/", "/politics/", story.get_absolute_url(), other.get_absolute_url())
    reply.approve(by=UserFactory(role="Moderators"))
    assert "Worth reading" in client.get(story.get_absolute_url()).content.decode()
    assert all(cached(client, path) for path in paths if path != story.get_absolute_url())


def test_renaming_a_tag_on_public_stories_shows_on_the_article_page(client, politics):
    tag = Tag.objects.create(name="Budget")
    story = ArticleFactory(section=politics, tags=[tag])
    assert ">Budget</a>" in client.get(story.get_absolute_url()).content.decode()
    tag.name = "Public budget"
    tag.save()
    assert ">Public budget</a>" in client.get(story.get_absolute_url()).content.decode()


def test_renaming_a_tag_only_drafts_use_empties_its_own_page_only(client, politics, warm):
    story = ArticleFactory(section=politics)
    ArticleFactory(section=politics, status=Article.Status.DRAFT, published_at=None, tags=["Budget"])
    tag = Tag.objects.get(name="Budget")
    paths = warm("/", story.get_absolute_url(), "/tag/budget/")
    tag.name = "Public budget"
    tag.save()
    assert cached(client, "/") and cached(client, story.get_absolute_url())
    assert "Public budget" in client.get("/tag/budget/").content.decode()
    assert paths


def test_renaming_a_section_shows_in_every_pages_navigation(client, politics, warm):
    paths = warm("/", "/politics/")
    politics.name = "Power"
    politics.save()
    assert all(">Power</a>" in client.get(path).content.decode() for path in paths)


def test_a_section_created_in_a_transaction_is_not_hidden_by_a_render_before_it_commits(
    client, politics, django_capture_on_commit_callbacks
):
    """Another request may render between the save and the commit, and store the navigation from before it."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        SectionFactory(name="Climate", slug="climate", position=9)
        during = content_version()
    assert content_version() != during
    assert ">Climate</a>" in client.get("/").content.decode().split("</header>")[0]


def test_renaming_an_author_updates_their_bylines(client, politics):
    reporter = UserFactory(username="reporter", first_name="Sam", last_name="Rivers")
    story = ArticleFactory(section=politics, authors=[reporter])
    assert "Sam Rivers" in client.get(story.get_absolute_url()).content.decode()
    reporter.last_name = "Rivers-Okafor"
    reporter.save()
    assert "Sam Rivers-Okafor" in client.get(story.get_absolute_url()).content.decode()


def test_a_deleted_authors_name_leaves_the_bylines(client, politics):
    reporter = UserFactory(username="reporter", first_name="Ada", last_name="Okafor")
    story = ArticleFactory(section=politics, authors=[reporter])
    assert "Ada Okafor" in client.get(story.get_absolute_url()).content.decode()
    reporter.delete()
    assert "Ada Okafor" not in client.get(story.get_absolute_url()).content.decode()


def test_staff_logging_in_or_changing_their_password_leaves_the_pages_cached(client, politics, warm):
    reporter = UserFactory(username="reporter")
    story = ArticleFactory(section=politics, authors=[reporter])
    paths = warm("/", story.get_absolute_url(), "/author/reporter/")
    update_last_login(None, reporter)
    reporter.set_password("a new long passphrase")
    reporter.save()
    reporter.email = "new@example.com"
    reporter.save()
    assert all(cached(client, path) for path in paths)


def test_renaming_someone_without_public_stories_empties_their_author_page_only(client, politics, warm):
    ArticleFactory(section=politics)
    writer = UserFactory(username="newcomer", first_name="Ada", last_name="Okafor")
    warm("/", "/author/newcomer/")
    writer.last_name = "Okafor-Reyes"
    writer.save()
    assert cached(client, "/")
    assert "Ada Okafor-Reyes" in client.get("/author/newcomer/").content.decode()


def test_tags_and_authors_linked_in_code_show_once_the_story_is_saved(client, politics):
    story = ArticleFactory(section=politics, tags=["Budget"])
    reporter = UserFactory(username="reporter", first_name="Ada", last_name="Okafor")
    client.get(story.get_absolute_url())
    story.authors.add(reporter)
    story.tags.add("Elections")
    story.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Ada Okafor" in page
    assert ">Elections</a>" in page


def test_a_story_read_while_it_is_being_deleted_is_not_kept(client, politics):
    """A reader arriving between the delete's first steps and the row going must not keep the story alive."""
    story = ArticleFactory(section=politics)
    address = story.get_absolute_url()

    def reader_arrives(sender, instance, **kwargs):
        assert Client().get(address).status_code == 200

    pre_delete.connect(reader_arrives, sender=Article)
    try:
        story.delete()
    finally:
        pre_delete.disconnect(reader_arrives, sender=Article)
    assert client.get(address).status_code == 404


def test_a_section_added_outside_save_still_has_its_page(client, politics):
    client.get("/politics/")
    Section.objects.bulk_create([Section(name="Climate", slug="climate", position=9)])
    response = client.get("/climate/")
    assert response.status_code == 200
    assert "<h1>Climate</h1>" in response.content.decode()
    assert client.get("/nowhere/").status_code == 404


@pytest.mark.parametrize("page_cache_seconds", [0, 600])
def test_with_a_cache_that_keeps_nothing_every_page_is_rendered_afresh(client, politics, settings, page_cache_seconds):
    """Django's dummy cache (a way to switch caching off): nothing may outlive it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    story = ArticleFactory(section=politics, headline="First headline")
    for path in (story.get_absolute_url(), "/politics/", "/"):
        assert "First headline" in client.get(path).content.decode()
    Article.objects.filter(pk=story.pk).update(headline="Second headline")  # not even save() tells
    for path in (story.get_absolute_url(), "/politics/", "/"):
        assert "Second headline" in client.get(path).content.decode()


def test_a_new_release_shares_no_cached_page_with_the_last(client, politics, settings):
    story = ArticleFactory(section=politics)
    client.get(story.get_absolute_url())
    assert cached(client, story.get_absolute_url())
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": "next-release"}}
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    cache.clear()


def test_server_error_page_renders_without_the_cache_or_the_database(settings, django_assert_num_queries):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
