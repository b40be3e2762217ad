"""Status transitions, who sees what after them, moderators' mail, and when a story stops taking replies."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment, DisallowedTerm
from comments.moderation import comments_open, moderator_emails
from tests.comments.factories import CommentFactory
from tests.comments.posting import post_reply
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "transition", "end"),
    [
        ("pending", "approve", "approved"),
        ("pending", "mark_spam", "spam"),
        ("pending", "trash", "trash"),
        ("approved", "trash", "trash"),
        ("approved", "mark_spam", "spam"),
        ("spam", "restore", "pending"),
        ("trash", "restore", "pending"),
        ("spam", "approve", "approved"),
    ],
)
def test_transition_sets_status_and_records_who_and_when(story, moderator, start, transition, end):
    comment = CommentFactory(article=story, status=start)
    before = timezone.now()
    getattr(comment, transition)(by=moderator)
    comment.refresh_from_db()
    assert comment.status == end
    assert comment.moderated_by == moderator
    assert comment.moderated_at >= before


def test_transition_saves_only_the_moderation_fields(story, moderator, django_assert_num_queries):
    comment = CommentFactory(article=story, status="pending")
    Comment.objects.filter(pk=comment.pk).update(text="Edited behind our back")
    with django_assert_num_queries(1):
        comment.approve(by=moderator)
    assert Comment.objects.get(pk=comment.pk).text == "Edited behind our back"


def test_approval_shows_the_reply_on_a_cached_page_at_once(client, story, moderator):
    post_reply(client, story, comment="Waiting for the desk.")
    comment = Comment.objects.get()
    reader = Client()
    assert reader.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    cached = reader.get(story.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    assert "Waiting for the desk." not in cached.content.decode()
    comment.approve(by=moderator)
    fresh = reader.get(story.get_absolute_url())
    assert "Waiting for the desk." in fresh.content.decode()
    assert "1 Comments" in fresh.content.decode()


def test_approval_leaves_the_rest_of_the_site_cached(story, moderator):
    """A reply shows on its story's page only: approving it must not send every reader's page back to render."""
    other = ArticleFactory(section=story.section, headline="Unrelated story")
    comment = CommentFactory(article=story, status="pending", text="Held for the desk.")
    reader = Client()
    pages = ["/", other.get_absolute_url(), story.get_absolute_url()]
    for page in pages:
        reader.get(page)
    comment.approve(by=moderator)
    assert reader.get("/")["X-Page-Cache"] == "hit"
    assert reader.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    fresh = reader.get(story.get_absolute_url())
    assert fresh["X-Page-Cache"] == "miss"
    assert "Held for the desk." in fresh.content.decode()


def test_approval_refreshes_every_address_of_the_story_page(story, moderator):
    comment = CommentFactory(article=story, status="pending", text="Answer to the first reply.")
    reader = Client()
    address = f"{story.get_absolute_url()}?replytocom={CommentFactory(article=story).pk}"
    reader.get(address)
    comment.approve(by=moderator)
    assert "Answer to the first reply." in reader.get(address).content.decode()


def test_trashing_an_approved_reply_removes_it_from_a_cached_page(story, moderator):
    comment = CommentFactory(article=story, text="Regrettable remark.")
    reader = Client()
    assert "Regrettable remark." in reader.get(story.get_absolute_url()).content.decode()
    comment.trash(by=moderator)
    html = reader.get(story.get_absolute_url()).content.decode()
    assert "Regrettable remark." not in html
    assert "0 Comments" in html


def test_approved_reply_still_shows_its_poster_as_approved(client, story, moderator):
    post_reply(client, story, comment="Mine.")
    Comment.objects.get().approve(by=moderator)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Mine." in html
    assert "Your comment is awaiting moderation." not in html
    assert "1 Comments" in html


def test_moderators_are_mailed_after_the_commit(client, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_reply(client, story, comment="Please read this, desk.")
    assert Comment.objects.count() == 1
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["desk@example.com"]
    assert "Council approves the harbour budget" in message.subject
    assert "Please read this, desk." in message.body
    assert f"http://testserver/admin/comments/comment/{Comment.objects.get().pk}/change/" in message.body


def test_moderators_are_not_mailed_about_spam_or_their_own_replies(
    client, story, moderator, django_capture_on_commit_callbacks
):
    DisallowedTerm.objects.create(term="casino")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, story, comment="casino")
        client.force_login(moderator)
        post_reply(client, story, comment="From the desk", ip="192.0.2.200")
    assert len(mail.outbox) == 0


def test_mail_server_down_loses_no_reply_and_shows_no_error(
    client, story, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.comments.mail_backends.BrokenBackend"
    with caplog.at_level(logging.ERROR, logger="comments.moderation"), django_capture_on_commit_callbacks(execute=True):
        response = post_reply(client, story)
    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "Could not mail the moderators" in caplog.text
    assert "Your comment is awaiting moderation." in client.get(response["Location"]).content.decode()


def test_moderator_emails_are_the_setting_and_the_active_moderators(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@example.com", "ruth@example.com"]
    UserFactory(username="ruth", email="ruth@example.com", role="Moderators")
    UserFactory(username="sam", email="sam@example.com", role="Moderators")
    UserFactory(username="gone", email="gone@example.com", role="Moderators", is_active=False)
    UserFactory(username="editor", email="editor@example.com", role="Editors")
    assert moderator_emails() == ["desk@example.com", "ruth@example.com", "sam@example.com"]


def test_no_moderators_means_no_mail(client, story, settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_MODERATOR_EMAILS = []
    with django_capture_on_commit_callbacks(execute=True):
        assert post_reply(client, story).status_code == 303
    assert len(mail.outbox) == 0


def test_comments_open_follows_the_article_flag():
    assert comments_open(ArticleFactory.build(comments_open=True, published_at=timezone.now()))
    assert not comments_open(ArticleFactory.build(comments_open=False, published_at=timezone.now()))


def test_comments_close_after_the_set_number_of_days(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    now = timezone.now()
    assert comments_open(ArticleFactory.build(published_at=now - timedelta(days=29, hours=23)), now=now)
    assert not comments_open(ArticleFactory.build(published_at=now - timedelta(days=30)), now=now)


def test_comments_never_close_by_age_when_the_setting_is_unset(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = None
    assert comments_open(ArticleFactory.build(published_at=timezone.now() - timedelta(days=4000)))


def test_closed_article_shows_replies_but_no_form_and_no_reply_links(client):
    story = ArticleFactory(comments_open=False)
    CommentFactory(article=story, text="Said before closing.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Said before closing." in html
    assert "Comments are closed." in html
    assert "LEAVE A REPLY" not in html
    assert 'id="commentform"' not in html
    assert "replytocom" not in html


def test_old_article_closes_by_itself_page_and_post(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=15))
    assert "Comments are closed." in client.get(story.get_absolute_url()).content.decode()
    response = post_reply(client, story)
    assert response.status_code == 403
    assert "Sorry, comments are closed for this item." in response.content.decode()
    assert Comment.objects.count() == 0


def test_recent_article_takes_replies_with_the_age_limit_set(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=13))
    assert "LEAVE A REPLY" in client.get(story.get_absolute_url()).content.decode()
    assert post_reply(client, story).status_code == 303
