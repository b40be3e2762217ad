"""Posting a reply: who sees what, the reader's cookies, CSRF for members, and bad input that must never 500."""

import json
import re
from urllib.parse import unquote

import pytest
from django.test import Client

from comments.cookies import PENDING_COOKIE
from comments.models import Comment
from tests.comments.factories import CommentFactory
from tests.comments.posting import post_reply, reply_data
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def comments_heading(html):
    return re.search(r'<h2 id="comments-title"[^>]*>([^<]*)</h2>', html).group(1)


def test_post_reply_stores_what_moderators_need(client, story):
    post_reply(client, story, url="ada.example", headers={"user-agent": "TestBrowser/1.0"})
    comment = Comment.objects.get()
    assert (comment.author, comment.email, comment.url) == ("Ada Lovelace", "ada@example.com", "https://ada.example")
    assert comment.ip_address == "198.51.100.7"
    assert comment.user_agent == "TestBrowser/1.0"
    assert comment.article == story
    assert comment.parent is None
    assert comment.depth == 1


def test_pending_reply_is_invisible_to_other_readers_and_to_the_count(client, story):
    post_reply(client, story, comment="Only I should see this for now.")
    stranger = Client().get(story.get_absolute_url()).content.decode()
    assert "Only I should see this for now." not in stranger
    assert comments_heading(stranger) == "0 Comments"


def test_pending_reply_is_visible_to_its_poster_through_the_signed_cookie(client, story):
    post_reply(client, story, comment="Only I should see this for now.")
    assert PENDING_COOKIE in client.cookies
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert "Only I should see this for now." in html
    assert "Your comment is awaiting moderation." in html
    assert comments_heading(html) == "0 Comments"
    assert "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_held_reply_cookie_that_was_tampered_with_shows_nothing(client, story):
    mine = CommentFactory(article=story, status="pending", text="Someone else's pending reply")
    client.cookies[PENDING_COOKIE] = f"{mine.pk}:forged-signature"
    assert "Someone else's pending reply" not in client.get(story.get_absolute_url()).content.decode()


def test_held_reply_cookie_remembers_several_replies(client, story, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_reply(client, story, comment="First thought.")
    post_reply(client, story, comment="Second thought.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "First thought." in html
    assert "Second thought." in html


def test_other_readers_keep_getting_the_cached_page_while_a_poster_waits(client, story):
    reader = Client()
    assert reader.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    post_reply(client, story)
    assert reader.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_approved_reply_is_shown_and_counted(client, story):
    CommentFactory(article=story, text="Approved and visible.")
    CommentFactory(article=story, status="spam", text="Spam and hidden.")
    CommentFactory(article=story, status="trash", text="Trashed and hidden.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Approved and visible." in html
    assert "Spam and hidden." not in html
    assert "Trashed and hidden." not in html
    assert comments_heading(html) == "1 Comments"


def test_anonymous_article_page_holds_nothing_per_visitor(client, story):
    first = client.get(story.get_absolute_url())
    second = Client().get(story.get_absolute_url())
    html = first.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert not first.cookies
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert 'name="token"' in html


def test_save_details_sets_a_cookie_the_script_can_read(client, story):
    response = post_reply(client, story, save_details="on", url="https://ada.example")
    saved = json.loads(unquote(response.cookies["comment_author"].value))
    assert saved == {"author": "Ada Lovelace", "email": "ada@example.com", "url": "https://ada.example"}
    assert not response.cookies["comment_author"]["httponly"]
    assert "ada@example.com" not in Client().get(story.get_absolute_url()).content.decode()


def test_save_details_unticked_forgets_saved_details(client, story):
    client.cookies["comment_author"] = "%7B%7D"
    response = post_reply(client, story)
    assert response.cookies["comment_author"]["max-age"] == 0


def test_email_is_never_shown_publicly(client, story):
    CommentFactory(article=story, email="secret-address@example.com", ip_address="192.0.2.55")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "secret-address@example.com" not in html
    assert "192.0.2.55" not in html


def test_logged_in_post_without_csrf_token_is_refused(story):
    member = Client(enforce_csrf_checks=True)
    member.force_login(UserFactory(username="reader"))
    response = member.post(f"/comments/{story.pk}/post/", reply_data(story))
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_logged_in_post_with_csrf_token_is_accepted_and_linked_to_the_account(story):
    member = Client(enforce_csrf_checks=True)
    user = UserFactory(username="reader", first_name="Rita", last_name="Reader")
    member.force_login(user)
    page = member.get(story.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert 'value="Rita Reader"' in page
    response = member.post(f"/comments/{story.pk}/post/", reply_data(story, csrfmiddlewaretoken=token))
    assert response.status_code == 303
    assert Comment.objects.get().user == user


def test_anonymous_post_needs_no_csrf_token(story):
    response = Client(enforce_csrf_checks=True).post(f"/comments/{story.pk}/post/", reply_data(story))
    assert response.status_code == 303


def test_moderators_own_reply_is_approved_at_once(client, story, moderator):
    client.force_login(moderator)
    post_reply(client, story, comment="Moderator here: please keep it civil.")
    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert "Moderator here" in Client().get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize("field", ["comment", "author", "email", "url", "parent", "token"])
def test_post_reply_with_nul_byte_is_refused_and_stores_nothing(client, story, field):
    data = reply_data(story)
    data[field] = data[field][:3] + "\x00" + data[field][3:]
    response = client.post(f"/comments/{story.pk}/post/", data)
    assert 400 <= response.status_code < 500
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("parent", ["abc", "-1", "1.5", "99999999999999999999999", "²", "123456", "9" * 4301])
def test_post_reply_with_invalid_parent_is_refused_with_a_message(client, story, parent):
    response = post_reply(client, story, parent=parent)
    assert response.status_code == 400
    assert "Sorry, the comment you replied to could not be found." in response.content.decode()
    assert Comment.objects.count() == 0


def test_post_reply_to_a_reply_on_another_article_is_refused(client, story):
    elsewhere = CommentFactory(article=ArticleFactory())
    response = post_reply(client, story, parent=str(elsewhere.pk))
    assert response.status_code == 400
    assert "Sorry, the comment you replied to could not be found." in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("article_id", ["999999", "99999999999999999999"])
def test_post_reply_to_unknown_article_is_404(client, story, article_id):
    response = client.post(f"/comments/{article_id}/post/", reply_data(story))
    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_post_reply_to_unpublished_article_is_404(client):
    draft = ArticleFactory(status="draft", published_at=None)
    assert client.post(f"/comments/{draft.pk}/post/", reply_data(draft)).status_code == 404
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_post_url_answers_other_methods_with_405(client, story, method):
    assert getattr(client, method)(f"/comments/{story.pk}/post/").status_code == 405


def test_post_reply_with_nothing_at_all_is_a_400(client, story):
    assert client.post(f"/comments/{story.pk}/post/", {}).status_code == 400
    assert Comment.objects.count() == 0


def test_post_reply_with_repeated_fields_uses_one_value(client, story):
    data = reply_data(story)
    data["comment"] = ["first", "second"]
    assert client.post(f"/comments/{story.pk}/post/", data).status_code == 303
    assert Comment.objects.get().text == "second"


def test_internationalised_email_domain_is_accepted(client, story):
    assert post_reply(client, story, email="leser@bücher.de").status_code == 303
    assert Comment.objects.get().email == "leser@bücher.de"


def test_name_with_line_breaks_is_kept_on_one_line(client, story):
    post_reply(client, story, author="Ada\r\nBcc: victim@example.com")
    assert Comment.objects.get().author == "Ada Bcc: victim@example.com"


def test_website_with_another_scheme_is_refused(client, story):
    response = post_reply(client, story, url="javascript:alert(1)")
    assert response.status_code == 400
    assert "Please enter a valid website address" in response.content.decode()


def test_pending_reply_never_reaches_the_feeds(client, story):
    post_reply(client, story, comment="A held remark for nobody else")
    for url in ["/feed/", f"/{story.section.slug}/feed/"]:
        response = Client().get(url)
        assert response.status_code == 200
        assert "A held remark for nobody else" not in response.content.decode()


def test_post_reply_bigger_than_django_accepts_is_a_400(client, story):
    response = post_reply(client, story, comment="x" * 3_000_000)
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_post_reply_with_invalid_utf8_is_never_a_500(client, story):
    body = b"comment=\xff\xfe&author=Ada&email=ada%40example.com&token=" + reply_data(story)["token"].encode()
    response = client.generic("POST", f"/comments/{story.pk}/post/", body, "application/x-www-form-urlencoded")
    assert response.status_code in (303, 400)
