"""The two cookies a reader who posts gets: their held replies, and (when they ask) their saved details.

Neither reaches the shared, cached HTML. ``comment_pending`` is signed and
listed in ``PAGE_CACHE_BYPASS_COOKIES``, so its holder gets a freshly
rendered, private page that shows them their own held replies.
``comment_author`` is read by ``static/js/comments.js`` in the browser to
fill in the form, so a page from the cache still comes prefilled.
"""

import json
from urllib.parse import quote

from django.conf import settings
from django.core import signing

PENDING_COOKIE = "comment_pending"
PENDING_SALT = "comments.pending"
PENDING_MAX_AGE = 24 * 60 * 60
PENDING_KEEP = 20
DETAILS_COOKIE = "comment_author"
DETAILS_MAX_AGE = 365 * 24 * 60 * 60


def held_reply_ids(request):
    """Ids of the replies this reader posted that may still be waiting (from the signed cookie)."""
    if request is None or PENDING_COOKIE not in request.COOKIES:
        return []
    try:
        raw = request.get_signed_cookie(PENDING_COOKIE, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in raw.split(",") if part.isascii() and part.isdigit() and len(part) < 19]


def remember_held_reply(request, response, comment):
    ids = [pk for pk in held_reply_ids(request) if pk != comment.pk] + [comment.pk]
    response.set_signed_cookie(
        PENDING_COOKIE,
        ",".join(map(str, ids[-PENDING_KEEP:])),
        salt=PENDING_SALT,
        max_age=PENDING_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remember_details(response, *, author, email, url):
    """URL-encoded JSON, so the value needs no cookie quoting and the script can read it back as it is."""
    value = quote(json.dumps({"author": author, "email": email, "url": url}, ensure_ascii=False), safe="")
    response.set_cookie(
        DETAILS_COOKIE, value, max_age=DETAILS_MAX_AGE, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax"
    )


def forget_details(request, response):
    if DETAILS_COOKIE in request.COOKIES:
        response.delete_cookie(DETAILS_COOKIE, samesite="Lax")
