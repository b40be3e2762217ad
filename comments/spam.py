"""Spam defences that need no outside service: form token, honeypot, flood control, duplicates, links, word list.

Attacks (a filled honeypot, a forged, foreign, too fresh or stale token) are
refused outright. Replies a rule merely suspects are stored, as ``spam`` or
held as ``pending``, so that a moderator can rescue them.
"""

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Q

from .models import Comment, DisallowedTerm, render_reader_text

TOKEN_SALT = "comments.form-token"  # noqa: S105 (a signing namespace, not a secret)
HONEYPOT_FIELD = "honeypot"


class Refused(Exception):
    """A post that looks like an attack; ``reason`` is for the logs, never for the reader."""

    def __init__(self, reason, *, keep_text=False):
        super().__init__(reason)
        self.reason = reason
        self.keep_text = keep_text


def issue_form_token(article):
    """A signed token naming the story and the moment the form was rendered.

    The same for every reader of a cached page, so it can live in shared HTML.
    """
    return signing.dumps({"a": article.pk, "t": int(time.time() * 1000)}, salt=TOKEN_SALT)


def check_form_token(token, article):
    """Raise ``Refused`` unless ``token`` was issued by us, for this story, long enough ago and not too long ago."""
    max_age = timedelta(days=settings.COMMENTS_TOKEN_MAX_AGE_DAYS)
    try:
        payload = signing.loads(token or "", salt=TOKEN_SALT, max_age=max_age)
        article_id, issued_ms = payload["a"], payload["t"]
    except signing.SignatureExpired:
        raise Refused("expired token", keep_text=True) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Refused("bad token") from None
    if article_id != article.pk:
        raise Refused("token for another article")
    age = time.time() - issued_ms / 1000
    if age < settings.COMMENTS_MIN_SECONDS:
        raise Refused("token too fresh", keep_text=True)
    if age > max_age.total_seconds():
        raise Refused("expired token", keep_text=True)


def check_honeypot(data):
    if data.get(HONEYPOT_FIELD):
        raise Refused("honeypot filled")


def claim_posting_slot(ip, email):
    """False when this email or this IP address posted within ``COMMENTS_FLOOD_SECONDS``.

    ``cache.add`` only writes a key that is absent, atomically (also on Redis),
    so of two posts racing each other only one gets through. The keys are
    taken one after the other and the first is given back when the second is
    taken already, so two racers can never each hold one key and both lose.
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if not seconds:
        return True
    taken = []
    keys = [f"comments:flood:email:{hashlib.sha256(email.strip().lower().encode()).hexdigest()}"]
    if ip:
        keys.append(f"comments:flood:ip:{ip}")
    for key in keys:
        if not cache.add(key, 1, timeout=seconds):
            cache.delete_many(taken)
            return False
        taken.append(key)
    return True


def is_duplicate(comment):
    """Has this person already said exactly this on this story (trash aside)?"""
    return (
        Comment.objects.filter(article_id=comment.article_id, text=comment.text)
        .filter(Q(author__iexact=comment.author) | Q(email__iexact=comment.email))
        .exclude(status=Comment.Status.TRASH)
        .exists()
    )


def count_links(text):
    """How many links the reader's text would show: exactly the ones ``render_reader_text`` makes."""
    return render_reader_text(text).count("<a ")


def has_too_many_links(comment):
    return count_links(comment.text) > settings.COMMENTS_MAX_LINKS


def disallowed_term_in(comment):
    """The first term of the moderators' list found in the reply's name, email, website, text, IP or browser."""
    haystack = "\n".join(
        [comment.author, comment.email, comment.url, comment.text, comment.ip_address or "", comment.user_agent]
    ).casefold()
    for term in DisallowedTerm.objects.values_list("term", flat=True):
        if term and term.casefold() in haystack:
            return term
    return None
