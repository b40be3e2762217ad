"""Blocks of markup and stories kept until the content changes: ``{% kept %}`` and ``pagecache.kept``."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import pre_delete
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from articles.models import Article, Section, Tag
from articles.pagecache import (
    GENERATION_KEY,
    forget_release,
    generation,
    generation_per_request,
    invalidate_pages,
    kept,
    kept_for_generation,
    nothing_kept,
)
from newsroom.errors import server_error
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

BLOCK = '{% load kept %}{% kept 60 "headlines" section %}<p>{{ headline }}</p>{% endkept %}'


class Counted:
    """A lazy value that counts how often it is worked out, as a view's query would run."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def lazy(self):
        return SimpleLazyObject(self._work_out)

    def _work_out(self):
        self.calls += 1
        return self.value


def render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture(autouse=True)
def render_every_time(settings):
    """These tests are about what a render keeps: the whole-page cache would answer before it."""
    settings.PAGE_CACHE_SECONDS = 0


def test_kept_block_is_worked_out_once_until_the_content_changes():
    headline = Counted("Budget passes")
    assert render(BLOCK, headline=headline.lazy(), section="politics") == "<p>Budget passes</p>"
    assert render(BLOCK, headline=headline.lazy(), section="politics") == "<p>Budget passes</p>"
    assert headline.calls == 1

    invalidate_pages()
    assert render(BLOCK, headline=Counted("Budget fails").lazy(), section="politics") == "<p>Budget fails</p>"


def test_kept_block_keeps_one_copy_per_value_it_varies_on():
    assert render(BLOCK, headline="Politics news", section="politics") == "<p>Politics news</p>"
    assert render(BLOCK, headline="World news", section="world") == "<p>World news</p>"
    assert render(BLOCK, headline="changed", section="politics") == "<p>Politics news</p>"


def test_kept_block_escapes_what_it_renders_and_keeps_it_safe():
    assert render(BLOCK, headline="<script>", section="x") == "<p>&lt;script&gt;</p>"
    assert render(BLOCK, headline="other", section="x") == "<p>&lt;script&gt;</p>"


def test_nothing_kept_renders_afresh_and_keeps_nothing():
    headline = Counted("Fresh")
    with nothing_kept():
        for _ in range(2):
            assert render(BLOCK, headline=headline.lazy(), section="s") == "<p>Fresh</p>"
    assert headline.calls == 2
    assert render(BLOCK, headline="Kept now", section="s") == "<p>Kept now</p>"


def test_blocks_of_the_same_name_in_two_templates_are_kept_apart():
    templates = {"politics.html": BLOCK, "world.html": BLOCK.replace("<p>", "<div>").replace("</p>", "</div>")}
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", templates)], libraries={"kept": "articles.templatetags.kept"}
    )
    context = Context({"headline": "A", "section": "s"})
    assert engine.get_template("politics.html").render(context) == "<p>A</p>"
    assert engine.get_template("world.html").render(context) == "<div>A</div>"


def test_kept_tag_needs_its_seconds_and_a_name():
    with pytest.raises(TemplateSyntaxError):
        render("{% load kept %}{% kept 60 %}x{% endkept %}")


def test_kept_values_are_private_to_each_reader():
    """Each process keeps its own copies; a request that changes what it got must not change the next one's."""
    first = kept_for_generation("shelf", lambda: {"stories": ["a"]}, 60)
    first["stories"].append("changed by a request")
    assert kept_for_generation("shelf", lambda: {"stories": ["never"]}, 60) == {"stories": ["a"]}


def test_kept_value_is_not_used_after_the_content_changes():
    kept_for_generation("shelf", lambda: "before", 60)
    invalidate_pages()
    assert kept("shelf")[0] is None


def test_generation_is_read_once_per_request_until_the_request_changes_it():
    """One page is built under one generation, even when another process bumps it halfway through."""
    with generation_per_request():
        seen = generation()
        cache.incr(GENERATION_KEY)  # another process publishes
        assert generation() == seen
        invalidate_pages()  # this request publishes
        assert generation() not in (seen, seen + 1)
    assert generation() == seen + 2


def test_a_new_release_reads_nothing_the_last_one_kept(settings, tmp_path):
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "masthead.html").write_text("<header>old</header>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    forget_release()
    kept_for_generation("masthead", lambda: "<header>old</header>", 60)
    assert kept("masthead")[0] == "<header>old</header>"
    (template_dir / "masthead.html").write_text("<header>new</header>")
    forget_release()  # a deploy starts new processes; the development server calls this on a change
    assert kept("masthead")[0] is None
    forget_release()


def test_a_restart_in_another_time_zone_reads_nothing_the_last_one_kept(client, politics, settings):
    """Times in kept markup are local: a process started with another TIME_ZONE renders them again."""
    settings.PAGE_CACHE_SECONDS = 0
    story = ArticleFactory(section=politics, published_at=datetime(2026, 3, 9, 17, 30, tzinfo=UTC))
    assert "Monday, March 9, 2026, 1:30 p.m." in client.get(story.get_absolute_url()).content.decode()
    settings.TIME_ZONE = "Europe/London"
    forget_release()  # a restart
    try:
        assert "Monday, March 9, 2026, 5:30 p.m." in client.get(story.get_absolute_url()).content.decode()
    finally:
        forget_release()


def test_article_page_shows_an_edit_at_once_with_its_story_kept(client, politics):
    story = ArticleFactory(section=politics, headline="First headline", tags=["Budget"])
    assert "First headline" in client.get(story.get_absolute_url()).content.decode()
    story.headline = "Corrected headline"
    story.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Corrected headline" in page
    assert "First headline" not in page


def test_renaming_a_tag_shows_on_the_article_page(client, politics):
    tag = Tag.objects.create(name="Budget")
    story = ArticleFactory(section=politics, tags=[tag])
    assert ">Budget</a>" in client.get(story.get_absolute_url()).content.decode()
    tag.name = "Public budget"
    tag.save()
    assert ">Public budget</a>" in client.get(story.get_absolute_url()).content.decode()


def test_masthead_marks_the_page_being_read(client, politics):
    SectionFactory(name="World", slug="world", position=1)
    story = ArticleFactory(section=politics)
    visits = [("/", "Home"), ("/search/?q=budget", None), ("/world/", "World"), (story.get_absolute_url(), "Politics")]
    for path, current in visits + visits:
        html = client.get(path).content.decode()
        start = html.index('<nav class="sections"')
        masthead = html[start : html.index("</nav>", start)]
        assert masthead.count('aria-current="page"') == (1 if current else 0)
        if current:
            assert f'aria-current="page">{current}</a>' in masthead


def test_renaming_an_author_updates_their_bylines(client, politics):
    reporter = UserFactory(username="reporter", first_name="Sam", last_name="Rivers")
    story = ArticleFactory(section=politics, authors=[reporter])
    assert "Sam Rivers" in client.get(story.get_absolute_url()).content.decode()
    reporter.last_name = "Rivers-Okafor"
    reporter.save()
    assert "Sam Rivers-Okafor" in client.get(story.get_absolute_url()).content.decode()


def test_an_author_logging_in_leaves_the_pages_cached(politics):
    reporter = UserFactory(username="reporter")
    ArticleFactory(section=politics, authors=[reporter])
    before = generation()
    update_last_login(None, reporter)
    assert generation() == before


def test_server_error_page_renders_without_the_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_staff_preview_never_shows_in_the_public_page(client, politics, admin_client):
    story = ArticleFactory(section=politics, headline="Shown to everyone")
    preview = admin_client.get(f"/preview/{story.pk}/").content.decode()
    assert 'name="robots" content="noindex' in preview
    public = client.get(story.get_absolute_url()).content.decode()
    assert 'name="robots" content="noindex' not in public
    assert "data-view-url=" in public


def test_article_head_follows_the_host_it_was_asked_for(client, politics, settings):
    settings.ALLOWED_HOSTS = ["news.example.com", "www.example.org"]
    story = ArticleFactory(section=politics)
    for host in ("news.example.com", "www.example.org", "news.example.com"):
        head = client.get(story.get_absolute_url(), HTTP_HOST=host).content.decode().split("</head>")[0]
        assert f'<meta property="og:url" content="http://{host}{story.get_absolute_url()}">' in head


def test_authors_and_tags_linked_in_code_show_at_once(client, politics):
    story = ArticleFactory(section=politics, tags=["Budget"])
    reporter = UserFactory(username="reporter", first_name="Ada", last_name="Okafor")
    Tag.objects.create(name="Elections")
    client.get(story.get_absolute_url())
    story.authors.add(reporter)
    story.tags.add("Elections")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Ada Okafor" in page
    assert ">Elections</a>" in page
    story.tags.remove("Elections")
    story.authors.clear()
    page = client.get(story.get_absolute_url()).content.decode()
    assert ">Elections</a>" not in page
    assert "Ada Okafor" not in page


def test_a_deleted_authors_name_leaves_the_bylines(client, politics):
    reporter = UserFactory(username="reporter", first_name="Ada", last_name="Okafor")
    story = ArticleFactory(section=politics, authors=[reporter])
    assert "Ada Okafor" in client.get(story.get_absolute_url()).content.decode()
    reporter.delete()
    assert "Ada Okafor" not in client.get(story.get_absolute_url()).content.decode()


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


def test_an_author_changing_their_password_leaves_the_pages_cached(politics):
    reporter = UserFactory(username="reporter")
    ArticleFactory(section=politics, authors=[reporter])
    before = generation()
    reporter.set_password("a new long passphrase")
    reporter.save()
    reporter.email = "new@example.com"
    reporter.save()
    assert generation() == before


@pytest.mark.parametrize("page_cache_seconds", [0, 600])
def test_with_a_cache_that_keeps_nothing_every_page_is_rendered_afresh(client, politics, settings, page_cache_seconds):
    """Django's dummy cache (a way to switch caching off): no copy a process keeps may outlive it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    story = ArticleFactory(section=politics, headline="First headline")
    for path in (story.get_absolute_url(), "/politics/", "/"):
        assert "First headline" in client.get(path).content.decode()
    Article.objects.filter(pk=story.pk).update(headline="Second headline")  # not even a signal tells
    for path in (story.get_absolute_url(), "/politics/", "/"):
        assert "Second headline" in client.get(path).content.decode()


def test_a_new_release_renders_every_page_afresh(client, politics, settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 600
    story = ArticleFactory(section=politics)
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "new.html").write_text("a template this release adds")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    forget_release()
    try:
        assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    finally:
        forget_release()


def test_a_section_added_outside_save_still_has_its_page(client, politics):
    """The section page looks its section up in the navigation's kept list first, then in the database."""
    client.get("/politics/")
    Section.objects.bulk_create([Section(name="Climate", slug="climate", position=9)])  # no save(), no bump
    response = client.get("/climate/")
    assert response.status_code == 200
    assert "<h1>Climate</h1>" in response.content.decode()
    assert client.get("/nowhere/").status_code == 404


def test_a_navigation_kept_during_a_section_edit_is_dropped_when_it_commits(
    client, politics, django_capture_on_commit_callbacks
):
    """Another request may render between the save and the commit, and keep the list from before it."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        SectionFactory(name="Climate", slug="climate", position=9)
        kept_for_generation("navigation", lambda: [politics], 3600)  # what that other request would keep
    masthead = client.get("/").content.decode().split("</header>")[0]
    assert ">Climate</a>" in masthead
    assert client.get("/climate/").status_code == 200


def test_each_listing_keeps_its_own_cards(client, politics):
    """Section, tag, author and related pages keep their cards under their own listing's name."""
    world = SectionFactory(name="World", slug="world", position=1)  # related pages top up from their section
    budget = ArticleFactory(section=politics, headline="Budget passes", tags=["Budget"])
    ArticleFactory(section=politics, headline="Budget reactions", tags=["Budget"])
    election = ArticleFactory(section=world, headline="Election called", tags=["Election"])
    ArticleFactory(section=world, headline="Election polls", tags=["Election"])
    pages = {
        "/tag/budget/": ("Budget reactions", "Election polls"),
        "/tag/election/": ("Election polls", "Budget reactions"),
        f"{budget.get_absolute_url()}related/": ("Budget reactions", "Election polls"),
        f"{election.get_absolute_url()}related/": ("Election polls", "Budget reactions"),
    }
    for _ in range(2):
        for path, (shown, not_shown) in pages.items():
            cards = client.get(path).content.decode().split('<div class="card-grid">', 1)[1]
            assert shown in cards
            assert not_shown not in cards.split("</main>", 1)[0]
