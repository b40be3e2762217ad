"""The moderators' queue: permissions, the pending-first changelist, bulk actions, search, filters, index count."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from comments.models import DisallowedTerm
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def desk(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def listed(response):
    return {int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', response.content.decode())}


def act(desk, action, comments, **params):
    return desk.post(
        CHANGELIST + ("?status=all" if params.get("all") else ""),
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_moderators_group_has_exactly_the_comment_permissions():
    perms = set(Group.objects.get(name="Moderators").permissions.values_list("content_type__app_label", "codename"))
    assert perms == {
        ("comments", "change_comment"),
        ("comments", "delete_comment"),
        ("comments", "view_comment"),
        ("comments", "add_disallowedterm"),
        ("comments", "change_disallowedterm"),
        ("comments", "delete_disallowedterm"),
        ("comments", "view_disallowedterm"),
    }


def test_moderator_cannot_change_or_add_an_article(desk, story):
    change = f"/admin/articles/article/{story.pk}/change/"
    assert desk.get(change).status_code == 403
    assert desk.post(change, {"headline": "Hacked"}).status_code == 403
    assert desk.get("/admin/articles/article/add/").status_code == 403
    story.refresh_from_db()
    assert story.headline == "Council approves the harbour budget"


def test_moderator_cannot_add_replies_through_the_admin(desk):
    assert desk.get("/admin/comments/comment/add/").status_code == 403


def test_moderator_can_keep_the_disallowed_words_list(desk):
    response = desk.post("/admin/comments/disallowedterm/add/", {"term": "  casino ", "note": "spam wave"})
    assert response.status_code == 302
    assert DisallowedTerm.objects.get().term == "casino"


def test_changelist_opens_on_the_pending_queue_newest_first(desk, story):
    older = CommentFactory(article=story, status="pending")
    newer = CommentFactory(article=story, status="pending")
    approved = CommentFactory(article=story, status="approved")
    response = desk.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert listed(response) == {older.pk, newer.pk}
    assert approved.pk not in listed(response)
    assert html.index(f'value="{newer.pk}"') < html.index(f'value="{older.pk}"')


def test_changelist_shows_text_author_email_ip_article_and_parent(desk, story):
    parent = CommentFactory(article=story, author="Grace Hopper", text="The original point.")
    CommentFactory(
        article=story,
        parent=parent,
        status="pending",
        author="Ada Lovelace",
        email="ada@example.com",
        ip_address="192.0.2.44",
        text="An answer to Grace.",
    )
    html = desk.get(CHANGELIST).content.decode()
    for shown in ["An answer to Grace.", "Ada Lovelace", "ada@example.com", "192.0.2.44", story.headline]:
        assert shown in html
    assert f'href="{story.get_absolute_url()}#comment-' in html
    assert f'href="/admin/comments/comment/{parent.pk}/change/">Grace Hopper: The original point.</a>' in html


@pytest.mark.parametrize("status", ["approved", "spam", "trash"])
def test_changelist_filters_by_each_status_and_all(desk, story, status):
    wanted = CommentFactory(article=story, status=status)
    pending = CommentFactory(article=story, status="pending")
    assert listed(desk.get(f"{CHANGELIST}?status={status}")) == {wanted.pk}
    assert listed(desk.get(f"{CHANGELIST}?status=all")) == {wanted.pk, pending.pk}


def test_changelist_filters_by_article(desk, story):
    here = CommentFactory(article=story, status="pending")
    CommentFactory(article=ArticleFactory(), status="pending")
    assert listed(desk.get(f"{CHANGELIST}?article={story.pk}")) == {here.pk}


@pytest.mark.parametrize("query", ["Lovelace", "ada@analytical", "192.0.2.77", "difference engine"])
def test_changelist_searches_author_email_ip_and_text(desk, story, query):
    wanted = CommentFactory(
        article=story,
        status="pending",
        author="Ada Lovelace",
        email="ada@analytical.example",
        ip_address="192.0.2.77",
        text="About the difference engine",
    )
    CommentFactory(article=story, status="pending", author="Someone", text="Other", ip_address="198.51.100.1")
    assert listed(desk.get(CHANGELIST, {"q": query})) == {wanted.pk}


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("approve", "pending", "approved"),
        ("mark_spam", "pending", "spam"),
        ("move_to_trash", "pending", "trash"),
        ("restore", "spam", "pending"),
        ("restore", "trash", "pending"),
    ],
)
def test_bulk_action_moves_replies_and_records_the_moderator(desk, story, moderator, action, start, end):
    replies = [CommentFactory(article=story, status=start) for _ in range(3)]
    untouched = CommentFactory(article=story, status=start)
    response = act(desk, action, replies, all=True)
    assert response.status_code == 200
    assert "3 replies" in response.content.decode()
    for reply in replies:
        reply.refresh_from_db()
        assert reply.status == end
        assert reply.moderated_by == moderator
        assert reply.moderated_at is not None
    untouched.refresh_from_db()
    assert untouched.status == start
    assert untouched.moderated_by is None


def test_bulk_approve_shows_replies_on_a_cached_page(desk, story):
    replies = [CommentFactory(article=story, status="pending", text=f"Queued reply {i}") for i in range(2)]
    reader = Client()
    reader.get(story.get_absolute_url())
    assert reader.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    act(desk, "approve", replies)
    html = reader.get(story.get_absolute_url()).content.decode()
    assert "Queued reply 0" in html
    assert "Queued reply 1" in html
    assert "2 Comments" in html


def test_changing_the_status_in_the_form_is_a_recorded_moderation(desk, story, moderator):
    reply = CommentFactory(article=story, status="pending", text="Typo in herr text")
    url = f"/admin/comments/comment/{reply.pk}/change/"
    data = {"status": "approved", "author": reply.author, "email": reply.email, "url": "", "text": "Typo in her text"}
    assert desk.post(url, data).status_code == 302
    reply.refresh_from_db()
    assert reply.status == "approved"
    assert reply.text == "Typo in her text"
    assert reply.html == "Typo in her text"
    assert reply.moderated_by == moderator


def test_editing_an_approved_reply_shows_the_correction_on_a_cached_page(desk, story):
    reply = CommentFactory(article=story, text="Teh council voted.")
    reader = Client()
    reader.get(story.get_absolute_url())
    url = f"/admin/comments/comment/{reply.pk}/change/"
    data = {"status": "approved", "author": reply.author, "email": reply.email, "url": "", "text": "The council voted."}
    assert desk.post(url, data).status_code == 302
    html = reader.get(story.get_absolute_url()).content.decode()
    assert "The council voted." in html
    assert "Teh council voted." not in html


def test_deleting_a_reply_takes_it_off_a_cached_page(desk, story):
    reply = CommentFactory(article=story, text="Delete me")
    reader = Client()
    assert "Delete me" in reader.get(story.get_absolute_url()).content.decode()
    assert desk.post(f"/admin/comments/comment/{reply.pk}/delete/", {"post": "yes"}).status_code == 302
    assert "Delete me" not in reader.get(story.get_absolute_url()).content.decode()


def test_deleting_replies_in_bulk_takes_them_off_a_cached_page(desk, story):
    replies = [CommentFactory(article=story, text=f"Bulk delete me {i}") for i in range(3)]
    reader = Client()
    assert "Bulk delete me 2" in reader.get(story.get_absolute_url()).content.decode()
    data = {"action": "delete_selected", "_selected_action": [reply.pk for reply in replies], "post": "yes"}
    assert desk.post(CHANGELIST + "?status=all", data).status_code == 302
    html = reader.get(story.get_absolute_url()).content.decode()
    assert "Bulk delete me" not in html
    assert "0 Comments" in html


def test_admin_index_shows_the_number_of_pending_replies(desk, story):
    CommentFactory.create_batch(3, article=story, status="pending")
    CommentFactory(article=story, status="approved")
    html = desk.get("/admin/").content.decode()
    assert '<a class="pending-replies" href="/admin/comments/comment/?status=pending">3 pending</a>' in html


def test_admin_index_for_an_editor_without_comment_rights_has_no_count(story):
    editor = Client()
    editor.force_login(UserFactory(username="editor", role="Editors"))
    html = editor.get("/admin/").content.decode()
    assert "pending-replies" not in html


@pytest.mark.parametrize("n", [2, 40])
def test_changelist_query_count_does_not_grow_with_the_queue(desk, story, n, django_assert_max_num_queries):
    parents = CommentFactory.create_batch(n, article=story)
    for parent in parents:
        CommentFactory(article=ArticleFactory(), parent=None, status="pending")
        CommentFactory(article=story, parent=parent, status="pending")
    desk.get(CHANGELIST)
    with django_assert_max_num_queries(7, info="session, user, perms, status counts, article choices, count, rows"):
        assert desk.get(CHANGELIST).status_code == 200
