"""Every message of DESIGN.md's reply-form table, through the real view, with its status."""

import re

import pytest

from comments.models import Comment
from tests.comments.factories import CommentFactory
from tests.comments.posting import post_reply

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("comment", "", "Please enter your comment!"),
        ("comment", "   \n  ", "Please enter your comment!"),
        ("author", "", "Please enter your name here"),
        ("email", "", "Please enter your email address here"),
        ("email", "not-an-address", "You have entered an incorrect email address!"),
        ("email", "ada@", "You have entered an incorrect email address!"),
        ("comment", "x" * 65526, "Your comment is too long."),
        ("author", "A" * 246, "Your name is too long."),
        ("email", "a" * 89 + "@example.com", "Your email address is too long."),
        ("url", "https://example.com/" + "a" * 181, "Your URL is too long."),
    ],
)
def test_post_reply_invalid_field_reshows_form_with_message(client, story, field, value, message):
    response = post_reply(client, story, **{field: value})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert Comment.objects.count() == 0


def test_post_reply_at_every_limit_is_accepted(client, story):
    response = post_reply(
        client,
        story,
        comment="x" * 65525,
        author="A" * 245,
        email="a" * 88 + "@example.com",
        url="https://example.com/" + "a" * 180,
    )
    assert response.status_code == 303
    assert Comment.objects.get().text == "x" * 65525


def test_post_reply_invalid_form_keeps_everything_typed(client, story):
    response = post_reply(
        client, story, email="nope", comment="My <b>view</b> on the harbour", author="Ada", url="https://ada.example"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "My &lt;b&gt;view&lt;/b&gt; on the harbour</textarea>" in html
    assert 'value="Ada"' in html
    assert 'value="nope"' in html
    assert 'value="https://ada.example"' in html


def test_post_reply_twice_is_a_duplicate_409(client, story):
    assert post_reply(client, story, ip="198.51.100.1").status_code == 303
    response = post_reply(client, story, ip="198.51.100.2", email="ada@elsewhere.example")
    assert response.status_code == 409
    assert "Duplicate comment detected; it looks as though you&#x27;ve already said that!" in response.content.decode()
    assert Comment.objects.count() == 1


def test_post_reply_too_fast_is_refused_429(client, story):
    assert post_reply(client, story).status_code == 303
    response = post_reply(client, story, comment="And another thing.", email="other@example.com")
    assert response.status_code == 429
    assert "You are posting comments too quickly. Slow down." in response.content.decode()
    assert response["Retry-After"] == "15"
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_post_reply_to_unapproved_reply_is_refused_403(client, story, status):
    parent = CommentFactory(article=story, status=status)
    response = post_reply(client, story, parent=str(parent.pk))
    assert response.status_code == 403
    assert "Sorry, replies to unapproved comments are not allowed." in response.content.decode()
    assert Comment.objects.count() == 1


def test_post_reply_to_closed_article_is_refused_403(client, story):
    story.comments_open = False
    story.save()
    response = post_reply(client, story)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Sorry, comments are closed for this item." in html
    assert "Comments are closed." in html
    assert Comment.objects.count() == 0


def test_post_reply_accepted_is_held_and_303_back_to_the_article(client, story):
    response = post_reply(client, story)
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{story.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "Your comment is awaiting moderation." in page


def test_reshown_form_focuses_the_first_field_to_fix(client, story):
    html = post_reply(client, story, author="", email="bad").content.decode()
    author = re.search(r'<input type="text" name="author"[^>]*>', html).group(0)
    email = re.search(r'<input type="email" name="email"[^>]*>', html).group(0)
    assert "autofocus" in author
    assert "autofocus" not in email
    assert 'action="/comments/' in html
    assert '/post/#respond"' in html
