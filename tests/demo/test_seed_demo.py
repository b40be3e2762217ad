import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, DailyViews, Section, Tag, TaggedArticle
from comments.models import Comment
from demo import pictures
from demo.content import IRAN_HEADLINE, STORIES
from demo.management.commands import seed_demo
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

IRAN_TAGS = {"Iran nuclear deal", "Ayatollah Ali Khamenei", "Donald Trump", "maximum pressure campaign", "sanctions"}


@pytest.fixture(autouse=True)
def quick_seeding(settings, monkeypatch):
    """Small pictures, one rendition width and a cheap password hash: the same code paths, a tenth of the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RENDITION_WIDTHS = (160,)
    monkeypatch.setattr(pictures, "SIZE", (320, 200))


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    return seed()


def counts():
    User = get_user_model()
    return {
        "articles": Article.objects.count(),
        "sections": Section.objects.count(),
        "tags": Tag.objects.count(),
        "tagged": TaggedArticle.objects.count(),
        "bylines": Article.authors.through.objects.count(),
        "users": User.objects.count(),
        "reads": DailyViews.objects.count(),
    }


def iran_story():
    return Article.objects.get(headline=IRAN_HEADLINE)


def test_seed_demo_sections_are_six_with_politics_first(seeded):
    sections = list(Section.objects.all())
    assert [s.name for s in sections] == ["Politics", "World", "Business", "Science", "Culture", "Sport"]
    assert sections[0].position == 0
    assert all(s.description for s in sections)


def test_seed_demo_articles_are_about_sixty_with_distinct_headlines_and_tags(seeded):
    articles = list(Article.objects.prefetch_related("tags", "authors"))
    assert 55 <= len(articles) <= 65
    assert len({a.headline for a in articles}) == len(articles)
    assert all(3 <= len(a.tags.all()) <= 6 for a in articles)
    assert all(1 <= len(a.authors.all()) <= 2 for a in articles)
    assert 20 <= Tag.objects.count() <= 40
    assert Article.objects.filter(is_lead=True).count() == 1
    assert Article.objects.filter(comments_open=True).count() > len(articles) * 0.75


def test_seed_demo_bodies_have_paragraphs_headings_quotes_and_lists(seeded):
    bodies = list(Article.objects.values_list("body", flat=True))
    assert all(body.count("<p>") >= 3 for body in bodies)
    assert sum("<h2>" in body for body in bodies) > len(bodies) / 2
    assert any("<blockquote>" in body for body in bodies)
    assert any("<ul>" in body for body in bodies)
    assert all(a.excerpt for a in Article.objects.only("excerpt"))


def test_seed_demo_iran_story_has_its_headline_date_section_and_tags(seeded):
    story = iran_story()
    published = timezone.localtime(story.published_at)
    assert published.strftime("%A, %B %-d, %Y") == "Sunday, March 9, 2025"
    assert (published.hour, published.minute) == (10, 30)
    assert story.section.slug == "politics"
    assert set(story.tags.names()) >= IRAN_TAGS
    assert story.standfirst
    assert 5 <= story.body.count("<p>") <= 7
    assert story.is_published


def test_seed_demo_iran_story_related_articles_block_is_full(seeded):
    story = iran_story()
    related = Article.objects.published().related_to(story, limit=6)
    assert len(related) == 6
    tags = set(story.tags.values_list("pk", flat=True))
    assert all(len(tags & set(r.tags.values_list("pk", flat=True))) >= 2 for r in related)


def test_seed_demo_drafts_and_scheduled_story_are_not_published(seeded):
    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    scheduled = Article.objects.scheduled()
    assert 3 <= drafts.count() <= 4
    assert not drafts.exclude(published_at=None).exists()
    assert drafts.filter(authors__username="reporter").exists()
    assert scheduled.count() == 1
    assert timezone.now() + timedelta(days=1) < scheduled.get().published_at < timezone.now() + timedelta(days=5)
    published = Article.objects.published()
    assert not published.filter(pk__in=drafts).exists()
    assert not published.filter(pk__in=scheduled).exists()
    assert published.count() == Article.objects.count() - drafts.count() - 1


def test_seed_demo_published_stories_have_pictures_and_renditions_on_disk(seeded, media_root):
    stories = list(Article.objects.published())
    assert all(story.image for story in stories)
    for story in stories:
        assert default_storage.exists(story.image.name)
        assert story.renditions
        assert all(default_storage.exists(r["name"]) for r in story.renditions)
        assert story.image_alt and story.image_caption
        assert story.image_credit == "Newsroom illustration"
    assert str(media_root) in default_storage.path(stories[0].image.name)


def test_seed_demo_published_stories_are_spread_over_recent_months(seeded):
    recent = Article.objects.published().filter(published_at__gte=timezone.now() - timedelta(days=125))
    days = {timezone.localdate(a.published_at) for a in recent}
    assert recent.count() >= 45
    assert len(days) >= 40
    assert not recent.filter(updated_at__gt=timezone.now() - timedelta(days=1), is_lead=False).exclude(
        published_at__gt=timezone.now() - timedelta(days=1)
    )


def test_seed_demo_accounts_have_roles_groups_and_printed_passwords(seeded):
    User = get_user_model()
    editor, reporter, moderator, admin = (
        User.objects.get(username=name) for name in ("editor", "reporter", "moderator", "admin")
    )
    assert editor.is_staff and editor.groups.filter(name="Editors").exists()
    assert reporter.is_staff and reporter.groups.filter(name="Reporters").exists()
    assert moderator.is_staff and moderator.groups.filter(name="Moderators").exists()
    assert admin.is_superuser and admin.is_staff
    assert all(u.get_full_name() for u in User.objects.all())
    assert User.objects.filter(is_staff=False, articles__isnull=False).distinct().count() >= 3
    assert not User.objects.filter(is_staff=False).exclude(password__startswith="!").exists()
    for user in (editor, reporter, moderator, admin):
        password = re.search(rf"^\s+{user.username}\s+\S+\s+(\S+)$", seeded, re.MULTILINE).group(1)
        assert user.check_password(password)
    assert Article.objects.filter(authors=reporter).exists()
    assert Article.objects.filter(authors=editor).exists()


def test_seed_demo_moderators_group_is_reused_when_it_exists():
    group = Group.objects.get_or_create(name="Moderators")[0]
    seed()
    assert Group.objects.filter(name="Moderators").count() == 1
    assert get_user_model().objects.get(username="moderator").groups.get() == group


def test_seed_demo_run_twice_changes_no_counts_and_no_passwords(seeded):
    User = get_user_model()
    before = counts()
    passwords = dict(User.objects.values_list("username", "password"))
    output = seed()
    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "kept their passwords" in output
    assert "nothing to add" in output


def test_seed_demo_if_empty_does_nothing_when_articles_exist():
    ArticleFactory()
    output = seed("--if-empty")
    assert Article.objects.count() == 1
    assert not Section.objects.filter(slug="world").exists()
    assert not get_user_model().objects.filter(username="editor").exists()
    assert "--if-empty" in output


def test_seed_demo_if_empty_loads_demo_into_empty_database():
    seed("--if-empty")
    assert Article.objects.count() == len(STORIES)


def test_seed_demo_makes_its_stories_in_bulk_not_one_by_one(monkeypatch):
    """Ten stories and the fifty-odd others take the same queries: one load_stories call, not a save per story.

    Sections, people and every tag exist first, so only the stories' own
    queries are counted (a missing tag costs a few queries of its own, once).
    """
    sections, people = seed_demo.seed_sections(), seed_demo.seed_people(StringIO())
    for name in {tag for story in STORIES for tag in story.tags}:
        Tag.objects.create(name=name)
    queries = []
    for part in (STORIES[:10], STORIES[10:]):
        monkeypatch.setattr(seed_demo, "STORIES", part)
        with CaptureQueriesContext(connection) as run:
            assert seed_demo.seed_stories(sections, people) == len(part)
        queries.append(len(run))
    few, many = queries
    # Five times the stories, no more queries; two to spare for a backend that splits a long insert in batches.
    assert many <= few + 2, f"{few} queries for 10 stories, {many} for {len(STORIES) - 10}"


def test_seed_demo_gives_stories_approved_replies_once(seeded):
    replies = Comment.objects.count()
    assert Comment.objects.approved().exists()
    seed()
    assert Comment.objects.count() == replies


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors are stored on PostgreSQL only")
def test_seed_demo_stories_are_searchable_by_headline_and_tags(seeded):
    assert not Article.objects.filter(search_vector=None).exists()
    assert Article.objects.search("Khamenei").filter(headline=IRAN_HEADLINE).exists()
    # "music" is only in this story's tags, not its text: the vector was refreshed once the tags were on.
    assert Article.objects.search("music").filter(headline="The Tidewaters Sign Their First Record Deal").exists()
