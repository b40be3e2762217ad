"""Leaving a reply in a real browser, with JavaScript on and off, and a moderator approving it in the admin."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def quick_readers(settings):
    """The browser fills the form in milliseconds, and every reader here shares 127.0.0.1."""
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def story(site):
    return ArticleFactory(headline="Harbour Wall Repairs Begin", slug="harbour-wall-repairs-begin")


def fill_reply(page, text, name="Ada Lovelace", email="ada@example.com"):
    page.fill("textarea[name=comment]", text)
    page.fill("input[name=author]", name)
    page.fill("input[name=email]", email)


def test_reply_without_javascript_is_held_and_shown_to_its_poster(site, story, page_without_js):
    page = page_without_js
    page.goto(site + story.get_absolute_url())
    expect(page.locator("#comments-title")).to_have_text("0 Comments")
    expect(page.locator("#reply-title")).to_have_text("LEAVE A REPLY")
    fill_reply(page, "Posted with scripts turned off.")
    page.click("input[type=submit][value='Post Comment']")
    comment = Comment.objects.get()
    assert page.url == f"{site}{story.get_absolute_url()}#comment-{comment.pk}"
    held = page.locator(f"#comment-{comment.pk}")
    expect(held).to_contain_text("Posted with scripts turned off.")
    expect(held).to_contain_text("Your comment is awaiting moderation.")
    assert comment.status == Comment.Status.PENDING


def test_validation_messages_show_next_to_their_fields_without_javascript(site, story, page_without_js):
    page = page_without_js
    page.goto(site + story.get_absolute_url())
    page.fill("input[name=email]", "not-an-address")
    page.fill("input[name=author]", "Ada")
    page.click("input[type=submit][value='Post Comment']")
    expect(page.locator("#id_comment_error")).to_have_text("Please enter your comment!")
    expect(page.locator("#id_email_error")).to_have_text("You have entered an incorrect email address!")
    expect(page.locator("#id_comment")).to_have_attribute("aria-describedby", "id_comment_error")
    expect(page.locator("#id_author")).to_have_value("Ada")
    expect(page.locator("#id_email")).to_have_value("not-an-address")
    assert Comment.objects.count() == 0


def test_validation_messages_show_with_javascript_too(site, story, page):
    page.goto(site + story.get_absolute_url())
    page.click("input[type=submit][value='Post Comment']")
    expect(page.locator("#id_comment_error")).to_have_text("Please enter your comment!")
    expect(page.locator("#id_author_error")).to_have_text("Please enter your name here")
    expect(page.locator("#id_email_error")).to_have_text("Please enter your email address here")


def test_reply_link_without_javascript_reloads_with_the_form_under_the_reply(site, story, page_without_js):
    page = page_without_js
    parent = CommentFactory(article=story, author="Grace Hopper")
    page.goto(site + story.get_absolute_url())
    page.click(f"a.comment-reply-link[data-comment-id='{parent.pk}']")
    assert f"replytocom={parent.pk}" in page.url
    expect(page.locator(f"#comment-{parent.pk} #commentform")).to_be_visible()
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    fill_reply(page, "An answer without scripts.")
    page.click("input[type=submit][value='Post Comment']")
    assert Comment.objects.get(text="An answer without scripts.").parent == parent


def test_reply_with_javascript_moves_the_form_in_place_and_cancel_moves_it_back(site, story, page):
    parent = CommentFactory(article=story, author="Grace Hopper")
    page.goto(site + story.get_absolute_url())
    url_before = page.url
    page.click(f"a.comment-reply-link[data-comment-id='{parent.pk}']")
    assert page.url == url_before
    expect(page.locator(f"#comment-{parent.pk} > #respond")).to_be_visible()
    expect(page.locator("#reply-to")).to_contain_text("Replying to Grace Hopper")
    expect(page.locator("#comment_parent")).to_have_value(str(parent.pk))
    expect(page.locator("#id_comment")).to_be_focused()
    page.click("#cancel-comment-reply-link")
    expect(page.locator("#respond-home > #respond")).to_be_visible()
    expect(page.locator("#comment_parent")).to_have_value("0")
    expect(page.locator("#cancel-comment-reply-link")).to_be_hidden()
    page.click(f"a.comment-reply-link[data-comment-id='{parent.pk}']")
    fill_reply(page, "An answer, scripts on.")
    page.click("input[type=submit][value='Post Comment']")
    reply = Comment.objects.get(text="An answer, scripts on.")
    assert reply.parent == parent
    expect(page.locator(f"#comment-{parent.pk} #comment-{reply.pk}")).to_contain_text("awaiting moderation")


def test_saved_details_fill_the_form_on_the_next_visit_even_from_the_cache(site, story, new_context):
    context = new_context()
    page = context.new_page()
    page.goto(site + story.get_absolute_url())
    fill_reply(page, "Remember me, please.", name="Ada Lovelace", email="ada@example.com")
    page.fill("input[name=url]", "https://ada.example")
    page.check("input[name=save_details]")
    page.click("input[type=submit][value='Post Comment']")
    other = ArticleFactory(headline="Another Story", slug="another-story")
    later = context.new_page()
    response = later.goto(site + other.get_absolute_url())
    assert "ada@example.com" not in response.text()
    expect(later.locator("#id_author")).to_have_value("Ada Lovelace")
    expect(later.locator("#id_email")).to_have_value("ada@example.com")
    expect(later.locator("#id_url")).to_have_value("https://ada.example")
    expect(later.locator("#id_save_details")).to_be_checked()


def test_moderator_approves_in_the_admin_and_another_reader_sees_it(site, story, new_context):
    UserFactory(username="ruth", role="Moderators", password=PASSWORD)
    stranger = new_context().new_page()
    stranger.goto(site + story.get_absolute_url())
    expect(stranger.locator("#comments-title")).to_have_text("0 Comments")

    poster = new_context().new_page()
    poster.goto(site + story.get_absolute_url())
    fill_reply(poster, "Please approve me.")
    poster.click("input[type=submit][value='Post Comment']")
    comment = Comment.objects.get()

    stranger.reload()
    expect(stranger.locator("#comments-title")).to_have_text("0 Comments")
    expect(stranger.locator("#comments")).not_to_contain_text("Please approve me.")

    desk = new_context().new_page()
    desk.goto(f"{site}/admin/login/?next=/admin/comments/comment/")
    desk.fill("#id_username", "ruth")
    desk.fill("#id_password", PASSWORD)
    desk.click("input[type=submit]")
    expect(desk.locator("#result_list")).to_contain_text("Please approve me.")
    desk.check(f"input[name=_selected_action][value='{comment.pk}']")
    desk.select_option("select[name=action]", "approve")
    desk.click("button[name=index]")
    expect(desk.locator(".messagelist")).to_contain_text("1 reply approved")

    stranger.reload()
    expect(stranger.locator("#comments-title")).to_have_text("1 Comments")
    expect(stranger.locator(f"#comment-{comment.pk}")).to_contain_text("Please approve me.")
    expect(stranger.locator(f"#comment-{comment.pk}")).not_to_contain_text("awaiting moderation")
    assert Comment.objects.get().moderated_by.username == "ruth"
