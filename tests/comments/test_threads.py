"""Threads: parents and depth, the depth limit, where the form goes, and one query for any number of replies."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import MAX_DEPTH, Comment, replies_changed
from comments.threads import build_thread, thread_for
from tests.comments.factories import CommentFactory
from tests.comments.posting import post_reply
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def chain(story, length, **fields):
    """``length`` approved replies, each answering the one before."""
    replies, parent = [], None
    for _ in range(length):
        parent = CommentFactory(article=story, parent=parent, **fields)
        replies.append(parent)
    return replies


def test_depth_is_computed_on_save(story):
    replies = chain(story, MAX_DEPTH)
    assert [reply.depth for reply in replies] == list(range(1, MAX_DEPTH + 1))


def test_reply_to_a_reply_is_stored_under_it(client, story):
    parent = CommentFactory(article=story)
    assert post_reply(client, story, parent=str(parent.pk)).status_code == 303
    reply = Comment.objects.get(parent=parent)
    assert reply.depth == 2


def test_reply_at_the_depth_limit_is_accepted_and_beyond_it_refused(client, story, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    replies = chain(story, MAX_DEPTH)
    assert post_reply(client, story, parent=str(replies[-2].pk)).status_code == 303
    response = post_reply(client, story, parent=str(replies[-1].pk), comment="Too deep")
    assert response.status_code == 400
    assert f"Sorry, replies can only be nested {MAX_DEPTH} deep." in response.content.decode()
    assert not Comment.objects.filter(text="Too deep").exists()


def test_thread_nests_replies_under_parents_oldest_first(story):
    first = CommentFactory(article=story)
    second = CommentFactory(article=story)
    answer = CommentFactory(article=story, parent=first)
    answer_to_answer = CommentFactory(article=story, parent=answer)
    thread = thread_for(story)
    assert thread.roots == [first, second]
    assert thread.roots[0].children == [answer]
    assert thread.roots[0].children[0].children == [answer_to_answer]
    assert thread.count == 4


def test_thread_leaves_out_replies_to_hidden_replies(story, moderator):
    parent = CommentFactory(article=story)
    orphan = CommentFactory(article=story, parent=parent)
    CommentFactory(article=story, parent=orphan)
    parent.trash(by=moderator)
    thread = thread_for(story)
    assert thread.roots == []
    assert thread.count == 0


def test_thread_places_held_replies_for_their_poster_without_counting_them(story):
    parent = CommentFactory(article=story)
    held = CommentFactory(article=story, parent=parent, status="pending")
    thread = thread_for(story, held_ids=[held.pk])
    assert thread.roots[0].children == [held]
    assert thread.roots[0].children[0].is_held
    assert thread.count == 1


def test_held_ids_never_reveal_approved_twice_or_other_articles(story):
    other = CommentFactory(article=ArticleFactory(), status="pending")
    approved = CommentFactory(article=story)
    thread = thread_for(story, held_ids=[other.pk, approved.pk])
    assert list(thread.by_id) == [approved.pk]


def test_build_thread_needs_no_queries(story, django_assert_num_queries):
    chain(story, MAX_DEPTH)
    replies = list(Comment.objects.for_thread(story))
    with django_assert_num_queries(0):
        thread = build_thread(replies)
        assert thread.count == MAX_DEPTH


def test_page_nests_replies_in_lists(client, story):
    replies = chain(story, 3)
    html = client.get(story.get_absolute_url()).content.decode()
    first, second, third = (html.index(f'id="comment-{reply.pk}"') for reply in replies)
    assert first < second < third
    assert html.count('<ol class="children">') == 2


def test_reply_link_is_missing_only_at_the_depth_limit(client, story):
    replies = chain(story, MAX_DEPTH)
    html = client.get(story.get_absolute_url()).content.decode()
    for reply in replies[:-1]:
        assert f"?replytocom={reply.pk}#respond" in html
    assert f"?replytocom={replies[-1].pk}#respond" not in html


def test_replytocom_puts_the_form_under_that_reply_without_javascript(client, story):
    first, second = CommentFactory(article=story), CommentFactory(article=story)
    html = client.get(f"{story.get_absolute_url()}?replytocom={first.pk}").content.decode()
    assert html.index(f'id="comment-{first.pk}"') < html.index('id="respond"') < html.index(f'id="comment-{second.pk}"')
    assert f'name="parent" id="comment_parent" value="{first.pk}"' in html
    assert "Cancel reply" in html
    assert re.search(r'<p id="reply-to" class="comment-respond__to">', html)


@pytest.mark.parametrize("value", ["abc", "999999", "99999999999999999999999", ""])
def test_replytocom_that_cannot_be_answered_leaves_the_form_at_the_bottom(client, story, value):
    CommentFactory(article=story)
    response = client.get(f"{story.get_absolute_url()}?replytocom={value}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="parent" id="comment_parent" value="0"' in html
    assert '<p id="reply-to" class="comment-respond__to" hidden>' in html


def test_replytocom_to_a_pending_or_too_deep_reply_leaves_the_form_at_the_bottom(client, story):
    pending = CommentFactory(article=story, status="pending")
    deepest = chain(story, MAX_DEPTH)[-1]
    for target in (pending, deepest):
        html = client.get(f"{story.get_absolute_url()}?replytocom={target.pk}").content.decode()
        assert 'name="parent" id="comment_parent" value="0"' in html


def test_reshown_form_stays_under_the_reply_it_answers(client, story):
    parent = CommentFactory(article=story)
    response = post_reply(client, story, parent=str(parent.pk), author="")
    html = response.content.decode()
    assert response.status_code == 400
    assert html.index(f'id="comment-{parent.pk}"') < html.index('id="respond"')
    assert f'name="parent" id="comment_parent" value="{parent.pk}"' in html


@pytest.fixture
def reader(client):
    """A logged-in reader: no whole page from the cache, so the kept thread fragment is what is tested."""
    client.force_login(UserFactory(username="reader"))
    return client


def thread_queries(client, path):
    """The page's HTML and the queries it made on the replies' table."""
    with CaptureQueriesContext(connection) as captured:
        html = client.get(path).content.decode()
    return html, [query for query in captured.captured_queries if "comments_comment" in query["sql"]]


def test_kept_thread_is_read_once_and_follows_moderation(reader, story, moderator):
    """The rendered thread is kept between renders; a moderator's decision must still show on the next one."""
    CommentFactory(article=story, text="Already on the page.")
    waiting = CommentFactory(article=story, text="Waiting for the desk.", status="pending")
    html, _ = thread_queries(reader, story.get_absolute_url())
    assert "Waiting for the desk." not in html
    html, queries = thread_queries(reader, story.get_absolute_url())
    assert "Already on the page." in html and not queries
    waiting.approve(by=moderator)
    html, _ = thread_queries(reader, story.get_absolute_url())
    assert "Waiting for the desk." in html
    assert "2 Comments" in html


def test_kept_thread_follows_an_edit_saved_by_a_moderator(reader, story):
    reply = CommentFactory(article=story, text="Frist post.")
    reader.get(story.get_absolute_url())
    reply.text = "First post."
    reply.save()
    replies_changed(reply.article)
    html = reader.get(story.get_absolute_url()).content.decode()
    assert "First post." in html
    assert "Frist post." not in html


def test_kept_thread_is_the_same_markup_as_a_fresh_one(client, story):
    first = CommentFactory(article=story, author="Ada", url="https://ada.example/")
    CommentFactory(article=story, parent=first, author="Grace")
    fresh = client.get(story.get_absolute_url()).content.decode()  # anonymous: renders and keeps the thread
    client.force_login(UserFactory(username="reader"))
    again, queries = thread_queries(client, story.get_absolute_url())
    assert not queries
    thread = re.compile(r'<ol class="comment-list">.*?(?=<div id="respond-home")', re.S)
    assert thread.search(fresh).group() == thread.search(again).group()
    assert 'href="https://ada.example/" rel="nofollow ugc"' in again
    assert "2 Comments" in again


def test_a_story_moved_back_to_its_old_address_shows_replies_approved_meanwhile(reader, story, moderator):
    """The thread is kept for the story, not for its address."""
    old_slug = story.slug
    reader.get(story.get_absolute_url())
    story.slug = "a-new-address"
    story.save()
    CommentFactory(article=story, text="Approved at the new address.", status="pending").approve(by=moderator)
    story.slug = old_slug
    story.save()
    assert "Approved at the new address." in reader.get(story.get_absolute_url()).content.decode()


def test_a_new_story_at_a_deleted_ones_address_shows_none_of_its_replies(reader, story):
    CommentFactory(article=story, text="On the deleted story.")
    address, section = story.get_absolute_url(), story.section
    assert "On the deleted story." in reader.get(address).content.decode()
    story.delete()
    ArticleFactory(section=section, slug=address.strip("/").split("/")[-1])
    html = reader.get(address).content.decode()
    assert "On the deleted story." not in html
    assert "0 Comments" in html


def test_replytocom_after_the_shared_thread_was_kept_renders_its_own_with_the_form(reader, story):
    first = CommentFactory(article=story)
    reader.get(story.get_absolute_url())
    html = reader.get(f"{story.get_absolute_url()}?replytocom={first.pk}").content.decode()
    inside = html.index(f'id="comment-{first.pk}"')
    assert inside < html.index('id="commentform"') < html.index('id="respond-home"')


def test_kept_thread_loses_its_reply_links_when_the_story_closes_by_age(reader, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(published_at=timezone.now() - timedelta(days=13))
        CommentFactory(article=story, text="Still open.")
        assert "comment-reply-link" in reader.get(story.get_absolute_url()).content.decode()
        clock.shift(timedelta(days=2))
        html = reader.get(story.get_absolute_url()).content.decode()
        assert "Still open." in html
        assert "comment-reply-link" not in html
        assert "Comments are closed." in html


def test_cached_page_stops_offering_the_form_when_the_story_closes_by_age(client, settings):
    """The whole-page cache keeps a story's page no later than the moment its replies close."""
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(published_at=timezone.now() - timedelta(days=14) + timedelta(minutes=1))
        assert 'id="commentform"' in client.get(story.get_absolute_url()).content.decode()
        assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
        clock.shift(timedelta(minutes=2))
        response = client.get(story.get_absolute_url())
        assert response["X-Page-Cache"] == "miss"
        assert 'id="commentform"' not in response.content.decode()
        assert "Comments are closed." in response.content.decode()
