"""Every spam rule: attacks refused outright (400), suspects stored for moderators to judge."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import RequestFactory

from comments.models import Comment, DisallowedTerm
from comments.spam import claim_posting_slot, count_links, issue_form_token
from newsroom.clients import client_ip
from tests.comments.factories import CommentFactory
from tests.comments.posting import post_reply
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

GENERIC_REFUSAL = "Sorry, this form could not be accepted."


def test_honeypot_filled_is_refused_400_and_stores_nothing(client, story):
    response = post_reply(client, story, honeypot="http://spam.example")
    assert response.status_code == 400
    assert GENERIC_REFUSAL in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "eyJhIjoxLCJ0IjoxfQ:1tAAAA:forged",
        signing.dumps({"a": 1, "t": 0}, salt="another.salt"),
        signing.dumps(["not", "a", "dict"], salt="comments.form-token"),
    ],
)
def test_bad_form_token_is_refused_400_and_stores_nothing(client, story, token):
    response = post_reply(client, story, token=token)
    assert response.status_code == 400
    assert GENERIC_REFUSAL in response.content.decode()
    assert Comment.objects.count() == 0


def test_form_token_of_another_article_is_refused(client, story):
    response = post_reply(client, story, token=issue_form_token(ArticleFactory()))
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_form_token_too_fresh_is_refused_then_accepted_after_min_seconds(client, story, settings):
    settings.COMMENTS_MIN_SECONDS = 3
    with time_machine.travel(time.time(), tick=False) as clock:
        token = issue_form_token(story)
        clock.shift(1)
        response = post_reply(client, story, token=token)
        assert response.status_code == 400
        assert GENERIC_REFUSAL in response.content.decode()
        assert Comment.objects.count() == 0
        clock.shift(3)
        assert post_reply(client, story, token=token).status_code == 303
    assert Comment.objects.count() == 1


def test_form_token_older_than_max_age_is_refused_with_the_text_offered_back(client, story, settings):
    settings.COMMENTS_TOKEN_MAX_AGE_DAYS = 3
    with time_machine.travel(time.time(), tick=False) as clock:
        token = issue_form_token(story)
        clock.shift(timedelta(days=3, minutes=1))
        response = post_reply(client, story, token=token, comment="Typed three days ago")
    assert response.status_code == 400
    assert GENERIC_REFUSAL in response.content.decode()
    assert "Typed three days ago</textarea>" in response.content.decode()
    assert Comment.objects.count() == 0


def test_form_token_a_day_old_is_accepted(client, story):
    with time_machine.travel(time.time(), tick=False) as clock:
        token = issue_form_token(story)
        clock.shift(timedelta(days=1))
        assert post_reply(client, story, token=token).status_code == 303


def test_reshown_form_keeps_the_posted_token_so_a_quick_fix_is_not_refused(client, story, settings):
    settings.COMMENTS_MIN_SECONDS = 3
    with time_machine.travel(time.time(), tick=False) as clock:
        token = issue_form_token(story)
        clock.shift(60)
        response = post_reply(client, story, token=token, author="")
        assert f'value="{token}"' in response.content.decode()
        clock.shift(1)
        assert post_reply(client, story, token=token).status_code == 303


def test_flood_same_ip_other_email_is_refused_429(client, story):
    assert post_reply(client, story, ip="192.0.2.1", email="one@example.com").status_code == 303
    response = post_reply(client, story, ip="192.0.2.1", email="two@example.com", comment="Different words")
    assert response.status_code == 429


def test_flood_same_email_other_ip_is_refused_429(client, story):
    assert post_reply(client, story, ip="192.0.2.1").status_code == 303
    assert post_reply(client, story, ip="192.0.2.2", comment="Different words").status_code == 429


def test_flood_keeps_what_the_reader_typed(client, story):
    post_reply(client, story)
    response = post_reply(client, story, comment="Patience is a virtue", email="b@example.com")
    assert "Patience is a virtue</textarea>" in response.content.decode()


def test_flood_window_passes(client, story, settings):
    settings.COMMENTS_FLOOD_SECONDS = 1
    assert post_reply(client, story).status_code == 303
    time.sleep(1.2)
    assert post_reply(client, story, comment="A minute later, another thought.").status_code == 303


def test_flood_control_off_when_set_to_zero(client, story, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post_reply(client, story).status_code == 303
    assert post_reply(client, story, comment="Another thought.").status_code == 303


def test_flood_does_not_slow_moderators(client, story, moderator):
    client.force_login(moderator)
    assert post_reply(client, story).status_code == 303
    assert post_reply(client, story, comment="Another note from the desk.").status_code == 303


def test_refused_post_does_not_use_up_the_flood_window(client, story):
    assert post_reply(client, story, author="").status_code == 400
    assert post_reply(client, story).status_code == 303


@pytest.mark.parametrize(
    ("author", "email"), [("Ada Lovelace", "new@example.com"), ("Someone Else", "ada@example.com")]
)
def test_duplicate_by_name_or_email_is_refused_409(client, story, author, email):
    CommentFactory(article=story, author="Ada Lovelace", email="ada@example.com", text="Same words.")
    response = post_reply(client, story, author=author, email=email, comment="Same words.")
    assert response.status_code == 409


def test_duplicate_of_spam_is_refused_too(client, story):
    CommentFactory(article=story, author="Ada Lovelace", text="Same words.", status="spam")
    assert post_reply(client, story, comment="Same words.").status_code == 409


def test_same_words_from_another_reader_or_on_another_story_or_after_trash_are_fine(client, story, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    CommentFactory(article=story, author="Grace", email="grace@example.com", text="Agreed.")
    CommentFactory(article=ArticleFactory(), author="Ada Lovelace", email="ada@example.com", text="Well said.")
    CommentFactory(article=story, author="Ada Lovelace", email="ada@example.com", text="Hmm.", status="trash")
    assert post_reply(client, story, comment="Agreed.").status_code == 303
    assert post_reply(client, story, comment="Well said.").status_code == 303
    assert post_reply(client, story, comment="Hmm.").status_code == 303


def test_count_links_counts_what_the_page_would_link():
    assert count_links("no links here") == 0
    assert count_links("see https://a.example and www.b.example and c.example.com") == 3
    assert count_links("<a href='https://x.example'>x</a>") == 1
    assert count_links("mail me: someone@example.com") == 1


def test_too_many_links_are_held_even_for_a_moderator(client, story, moderator, settings):
    settings.COMMENTS_MAX_LINKS = 2
    client.force_login(moderator)
    post_reply(client, story, comment="https://a.example https://b.example https://c.example")
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_links_up_to_the_limit_do_not_hold_a_moderator(client, story, moderator, settings):
    settings.COMMENTS_MAX_LINKS = 2
    client.force_login(moderator)
    post_reply(client, story, comment="https://a.example https://b.example")
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_known_author_rule_approves_but_links_still_hold(client, story, settings):
    settings.COMMENTS_APPROVE_KNOWN_AUTHORS = True
    settings.COMMENTS_FLOOD_SECONDS = 0
    CommentFactory(article=story, email="ada@example.com")
    post_reply(client, story, comment="Back again.")
    post_reply(client, story, comment="https://a.example https://b.example https://c.example")
    statuses = dict(Comment.objects.filter(text__in=["Back again."]).values_list("text", "status"))
    assert statuses == {"Back again.": Comment.Status.APPROVED}
    assert Comment.objects.get(text__startswith="https://").status == Comment.Status.PENDING


def test_known_author_rule_is_off_by_default(client, story):
    CommentFactory(article=story, email="ada@example.com")
    post_reply(client, story, comment="Back again.")
    assert Comment.objects.get(text="Back again.").status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("term", "fields"),
    [
        ("casino", {"comment": "Try the CASINO tonight"}),
        ("Viagra", {"author": "cheap viagra shop"}),
        ("spammer@example.com", {"email": "Spammer@Example.com"}),
        ("bad.example", {"url": "https://www.bad.example/offer"}),
        ("198.51.100.66", {"ip": "198.51.100.66"}),
        ("EvilBot", {"headers": {"user-agent": "Mozilla/5.0 evilbot/2.1"}}),
    ],
)
def test_disallowed_term_sends_the_reply_to_spam(client, story, term, fields):
    DisallowedTerm.objects.create(term=term)
    response = post_reply(client, story, **fields)
    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_spam_reply_looks_held_to_its_poster_and_is_hidden_from_others(client, story):
    DisallowedTerm.objects.create(term="casino")
    response = post_reply(client, story, comment="Best casino bonus")
    assert "Best casino bonus" in client.get(response["Location"]).content.decode()
    assert "Best casino bonus" not in client.__class__().get(story.get_absolute_url()).content.decode()


def test_disallowed_reply_is_stored_for_rescue_not_dropped(client, story):
    DisallowedTerm.objects.create(term="casino")
    post_reply(client, story, comment="The casino vote is on Tuesday")
    assert Comment.objects.get().text == "The casino vote is on Tuesday"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([], "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # nobody trusted: the header is the client's own writing
        (["127.0.0.1"], "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # reached gunicorn directly, made up an address
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 198.51.100.9", "198.51.100.9"),
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "1.2.3.4, 198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "not-an-ip", None),
        ([], "", "", None),
        ([], "::ffff:192.0.2.1", "", "192.0.2.1"),
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_ip_believes_only_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_reader_reaching_gunicorn_directly_cannot_dodge_flood_control_with_a_made_up_address(client, story, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    first = post_reply(client, story, ip="203.0.113.5", headers={"x-forwarded-for": "198.51.100.1"})
    second = post_reply(
        client,
        story,
        ip="203.0.113.5",
        headers={"x-forwarded-for": "198.51.100.2"},
        email="other@example.com",
        author="Someone Else",
        comment="A second thought, from a second address.",
    )
    assert first.status_code == 303
    assert second.status_code == 429
    assert Comment.objects.get().ip_address == "203.0.113.5"


def test_flood_claim_refused_on_the_ip_gives_the_email_back():
    assert claim_posting_slot("192.0.2.1", "one@example.com")
    assert not claim_posting_slot("192.0.2.1", "two@example.com")
    assert claim_posting_slot("192.0.2.2", "two@example.com")
