"""Threads: parents and depth, the depth limit, where the form goes, and one query for any number of replies."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comments.models import MAX_DEPTH, Comment
from comments.threads import build_thread, thread_for
from tests.comments.factories import CommentFactory
from tests.comments.posting import post_reply
from tests.factories import ArticleFactory

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


def test_kept_thread_follows_moderation_with_the_page_cache_off(client, story, settings, moderator):
    """The rendered thread is kept between renders; a moderator's decision must still show on the next one."""
    settings.PAGE_CACHE_SECONDS = 0
    CommentFactory(article=story, text="Already on the page.")
    waiting = CommentFactory(article=story, text="Waiting for the desk.", status="pending")
    assert "Waiting for the desk." not in client.get(story.get_absolute_url()).content.decode()
    waiting.approve(by=moderator)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Waiting for the desk." in html
    assert "2 Comments" in html


def test_kept_thread_follows_an_edit_saved_by_a_moderator(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    reply = CommentFactory(article=story, text="Frist post.")
    client.get(story.get_absolute_url())
    reply.text = "First post."
    reply.save()
    reply.refresh_article_page()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "First post." in html
    assert "Frist post." not in html


def test_cached_thread_is_the_same_markup_as_a_fresh_one(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = CommentFactory(article=story, author="Ada", url="https://ada.example/")
    CommentFactory(article=story, parent=first, author="Grace")
    fresh = client.get(story.get_absolute_url()).content.decode()
    again = client.get(story.get_absolute_url()).content.decode()
    thread = re.compile(r'<ol class="comment-list">.*?(?=<div id="respond-home")', re.S)
    assert thread.search(fresh).group() == thread.search(again).group()
    assert 'href="https://ada.example/" rel="nofollow ugc"' in again
    assert "2 Comments" in again


def test_replytocom_after_the_shared_thread_was_kept_renders_its_own_with_the_form(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = CommentFactory(article=story)
    client.get(story.get_absolute_url())
    html = client.get(f"{story.get_absolute_url()}?replytocom={first.pk}").content.decode()
    inside = html.index(f'id="comment-{first.pk}"')
    assert inside < html.index('id="commentform"') < html.index('id="respond-home"')


def test_kept_thread_loses_its_reply_links_when_the_story_closes_by_age(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(published_at=timezone.now() - timedelta(days=13))
        CommentFactory(article=story, text="Still open.")
        assert "comment-reply-link" in client.get(story.get_absolute_url()).content.decode()
        clock.shift(timedelta(days=2))
        html = client.get(story.get_absolute_url()).content.decode()
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
