"""The editors' admin: what Editors and Reporters may do, enforced on the server."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, Tag
from tests.factories import ArticleFactory, SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def editor(client):
    return UserFactory(username="editor", role="Editors")


@pytest.fixture
def reporter():
    return UserFactory(username="reporter", role="Reporters")


def article_form(section, **overrides):
    data = {
        "headline": "Council passes the budget",
        "slug": "council-passes-the-budget",
        "section": section.pk,
        "standfirst": "After a long night.",
        "body": "<p>The vote was close.</p>",
        "excerpt": "",
        "new_tags": "budget, city council",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_editor_publishes_a_story_with_an_image_that_reaches_every_page(client, editor, politics):
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/add/",
        article_form(politics, image=jpeg_file(), image_alt="The council chamber", authors=[editor.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    story = Article.objects.get(slug="council-passes-the-budget")
    assert story.is_published
    assert story.renditions
    assert set(story.tags.names()) == {"budget", "city council"}
    client.logout()
    for url in ("/", "/politics/", "/tag/budget/", story.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Council passes the budget" in html, url
    assert story.renditions[0]["name"] in client.get("/politics/").content.decode()


def test_editor_schedules_a_story(client, editor, politics):
    client.force_login(editor)
    when = timezone.localtime() + timedelta(days=1)
    client.post(
        "/admin/articles/article/add/",
        article_form(politics, published_at_0=when.strftime("%Y-%m-%d"), published_at_1=when.strftime("%H:%M:%S")),
    )
    story = Article.objects.get(slug="council-passes-the-budget")
    assert story.is_scheduled
    assert client.get("/admin/articles/article/").content.decode().count("Scheduled") >= 1


def test_reporter_cannot_publish_by_posting_the_status(client, reporter, politics):
    client.force_login(reporter)
    response = client.post("/admin/articles/article/add/", article_form(politics, is_lead="on"))
    assert response.status_code == 302
    story = Article.objects.get(slug="council-passes-the-budget")
    assert story.status == Article.Status.DRAFT
    assert story.published_at is None
    assert not story.is_lead
    assert list(story.authors.all()) == [reporter]


def test_reporter_cannot_schedule_by_posting_a_time(client, reporter, politics):
    client.force_login(reporter)
    when = timezone.localtime() + timedelta(days=1)
    client.post(
        "/admin/articles/article/add/",
        article_form(politics, published_at_0=when.strftime("%Y-%m-%d"), published_at_1="09:00:00"),
    )
    assert Article.objects.get(slug="council-passes-the-budget").published_at is None


def test_reporter_editing_own_draft_cannot_publish_it(client, reporter, politics):
    draft = ArticleFactory(section=politics, status=Article.Status.DRAFT, published_at=None, authors=[reporter])
    client.force_login(reporter)
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        article_form(politics, headline="Edited by the reporter", slug=draft.slug),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Edited by the reporter"
    assert draft.status == Article.Status.DRAFT


def test_reporter_cannot_use_the_publish_action(client, reporter, politics):
    draft = ArticleFactory(section=politics, status=Article.Status.DRAFT, published_at=None, authors=[reporter])
    client.force_login(reporter)
    client.post("/admin/articles/article/", {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert "publish_now" not in client.get("/admin/articles/article/").content.decode()


def test_reporter_sees_and_edits_only_their_own_stories(client, reporter, politics):
    own = ArticleFactory(section=politics, headline="My own story", authors=[reporter])
    other = ArticleFactory(section=politics, headline="Someone else's story")
    client.force_login(reporter)
    listing = client.get("/admin/articles/article/").content.decode()
    assert "My own story" in listing
    assert "Someone else" not in listing
    assert client.get(f"/admin/articles/article/{own.pk}/change/").status_code == 200
    assert client.get(f"/admin/articles/article/{other.pk}/change/").status_code in (302, 403, 404)
    client.post(
        f"/admin/articles/article/{other.pk}/change/", article_form(politics, headline="Hijacked", slug=other.slug)
    )
    other.refresh_from_db()
    assert other.headline == "Someone else's story"


def test_editor_publish_and_unpublish_actions(client, editor, politics):
    draft = ArticleFactory(section=politics, status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    client.post("/admin/articles/article/", {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    client.post("/admin/articles/article/", {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_save_and_preview_opens_the_preview(client, editor, politics):
    client.force_login(editor)
    response = client.post("/admin/articles/article/add/", article_form(politics, status="draft", _preview="1"))
    story = Article.objects.get(slug="council-passes-the-budget")
    assert response["Location"] == f"/preview/{story.pk}/"
    assert "Council passes the budget" in client.get(response["Location"]).content.decode()


def test_changelist_shows_columns_filters_and_links(client, editor, politics):
    ArticleFactory(section=politics, headline="Listed story", authors=[editor])
    client.force_login(editor)
    html = client.get("/admin/articles/article/").content.decode()
    assert "Listed story" in html
    for column in ("Section", "State", "Author", "On site"):
        assert column in html
    assert 'href="/politics/story-' in html or "/politics/" in html
    assert client.get("/admin/articles/article/?q=Listed").status_code == 200
    assert client.get("/admin/articles/article/?status__exact=draft").status_code == 200


def test_tag_autocomplete_finds_existing_tags(client, editor):
    Tag.objects.create(name="sanctions", slug="sanctions")
    client.force_login(editor)
    response = client.get(
        "/admin/autocomplete/", {"term": "sanc", "app_label": "articles", "model_name": "article", "field_name": "tags"}
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["sanctions"]


def test_change_form_has_editor_image_preview_and_preview_button(client, editor, politics):
    story = ArticleFactory(section=politics, image=jpeg_file(), image_alt="Chamber")
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "prose-editor" in html
    assert story.renditions[0]["name"] in html
    assert 'name="_preview"' in html


def test_reserved_section_slug_is_refused_in_the_admin(client, editor):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="add_section"))
    client.force_login(editor)
    response = client.post(
        "/admin/articles/section/add/", {"name": "Tags", "slug": "tag", "description": "", "position": 1}
    )
    assert response.status_code == 200
    assert "used by another part of the site" in response.content.decode()


def test_editor_deletes_a_read_story_and_readers_lose_it_at_once(client, editor, politics):
    from articles.models import DailyViews

    story = ArticleFactory(section=politics, headline="Soon gone", image=jpeg_file())
    DailyViews.objects.create(article=story, count=5)
    url = story.get_absolute_url()
    assert client.get(url).status_code == 200  # now cached
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/", {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=story.pk).exists()
    client.logout()
    assert client.get(url).status_code == 404


def test_reporter_cannot_change_their_own_published_story(client, reporter, politics):
    live = ArticleFactory(section=politics, headline="Live story", authors=[reporter])
    client.force_login(reporter)
    client.post(
        f"/admin/articles/article/{live.pk}/change/", article_form(politics, headline="Rewritten", slug=live.slug)
    )
    live.refresh_from_db()
    assert live.headline == "Live story"


def test_story_saved_in_the_admin_shows_related_stories_by_its_final_tags(
    client, editor, politics, django_capture_on_commit_callbacks
):
    """The admin saves the story, then its tags: readers see related stories ranked on the tags set."""
    reader = Client()
    budget_story = ArticleFactory(section=politics, headline="Budget story", tags=["budget"])
    ArticleFactory(section=politics, headline="Weather story", tags=["weather"], published_at=timezone.now())
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/articles/article/add/", article_form(politics))
    assert response.status_code == 302
    story = Article.objects.get(slug="council-passes-the-budget")
    related = reader.get(story.get_absolute_url()).content.decode().split('id="related-heading"')[1]
    assert related.index(budget_story.headline) < related.index("Weather story")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/articles/article/{story.pk}/change/",
            article_form(politics, new_tags="weather"),
        )
    related = reader.get(story.get_absolute_url()).content.decode().split('id="related-heading"')[1]
    assert related.index("Weather story") < related.index(budget_story.headline)
