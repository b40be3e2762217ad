"""Which cached pages a change empties: only what a reader could see change (``articles.publication``)."""

import time
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models.signals import pre_delete
from django.test import Client, RequestFactory
from django.utils import timezone

from articles.loading import load_stories
from articles.models import Article, Section, Tag
from newsroom.errors import server_error
from pagecache.versions import SCHEDULE_KEY, current
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


def test_unscheduling_a_story_leaves_pages_cached_past_its_old_minute(client, politics, warm):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ArticleFactory(section=politics, headline="Morning story")
        story = ArticleFactory(
            section=politics, headline="Embargoed", published_at=timezone.now() + timedelta(minutes=1)
        )
        story.status = Article.Status.DRAFT
        story.save()
        warm("/politics/")
        clock.shift(timedelta(minutes=2))
        assert cached(client, "/politics/")
        assert "Embargoed" not in client.get("/politics/").content.decode()


def test_a_public_story_moved_into_the_future_leaves_and_comes_back_at_its_minute(client, politics, warm):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(section=politics, headline="Re-embargoed")
        warm("/politics/")
        story.published_at = timezone.now() + timedelta(minutes=5)
        story.save()
        assert "Re-embargoed" not in client.get("/politics/").content.decode()
        clock.shift(timedelta(minutes=5, seconds=1))
        assert "Re-embargoed" in client.get("/politics/").content.decode()


def test_bulk_loaded_public_and_scheduled_stories_each_show_at_their_minute(client, politics):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        soon = timezone.now() + timedelta(minutes=5)
        published = Article.Status.PUBLISHED
        load_stories(
            [
                Article(headline="Loaded now", section=politics, status=published),
                Article(headline="Loaded for later", section=politics, status=published, published_at=soon),
            ]
        )
        page = client.get("/politics/").content.decode()
        assert "Loaded now" in page and "Loaded for later" not in page
        clock.shift(timedelta(minutes=5, seconds=1))
        assert "Loaded for later" in client.get("/politics/").content.decode()


def test_a_story_whose_minute_passes_before_its_save_commits_shows_at_once(
    client, politics, warm, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ArticleFactory(section=politics, headline="Morning story")
        warm("/politics/")
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            ArticleFactory(
                section=politics, headline="Due mid-save", published_at=timezone.now() + timedelta(seconds=1)
            )
            clock.shift(timedelta(seconds=2))  # a long transaction: an importer's batch, say
        assert "Due mid-save" in client.get("/politics/").content.decode()


def test_cached_pages_are_served_when_the_schedule_cannot_be_looked_up(client, politics, warm, settings):
    """With the database out of reach, what the cache holds is still served (the schedule stays as it was)."""
    story = ArticleFactory(section=politics, headline="Served from the cache")
    warm(story.get_absolute_url())
    cache.set(SCHEDULE_KEY, time.time() - 1, timeout=None)  # a story came due: the next request looks it up
    settings.PAGE_CACHE_SCHEDULE = "tests.articles.test_invalidation.database_down"
    response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert "Served from the cache" in response.content.decode()


def database_down():
    raise OperationalError("the database is out of reach")


@pytest.mark.parametrize("action", ["publish_now", "unpublish"])
def test_the_admins_bulk_actions_show_on_the_pages(client, politics, warm, action):
    live = ArticleFactory(section=politics, headline="Live story")
    draft = ArticleFactory(section=politics, headline="Waiting draft", status=Article.Status.DRAFT, published_at=None)
    warm("/politics/")
    editor = Client()
    editor.force_login(UserFactory(username="editor", role="Editors"))
    chosen = draft if action == "publish_now" else live
    editor.post("/admin/articles/article/", {"action": action, "_selected_action": [chosen.pk]})
    page = client.get("/politics/").content.decode()
    assert ("Waiting draft" in page) == (action == "publish_now")
    assert ("Live story" in page) == (action == "publish_now")


def test_stories_deleted_in_bulk_leave_every_page(client, politics, warm):
    ArticleFactory(section=politics, headline="Going in bulk")
    warm("/", "/politics/")
    Article.objects.filter(section=politics).delete()
    assert all("Going in bulk" not in client.get(path).content.decode() for path in ("/", "/politics/"))


def test_no_page_keeps_yesterdays_date_line_past_midnight(client, politics):
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 9, 23, 58)), tick=False) as clock:
        assert "Monday, March 9, 2026" in client.get("/politics/").content.decode()
        clock.shift(timedelta(minutes=3))
        assert "Tuesday, March 10, 2026" in client.get("/politics/").content.decode()


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
    warm("/", story.get_absolute_url(), "/tag/budget/")
    tag.name = "Public budget"
    tag.save()
    assert cached(client, "/") and cached(client, story.get_absolute_url())
    assert "Public budget" in client.get("/tag/budget/").content.decode()


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
        during = current()[0]
    assert current()[0] != during
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
