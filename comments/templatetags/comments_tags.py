"""The comments block of the article page: ``{% load comments_tags %}{% comments_for article %}``.

The articles app knows nothing of comments; its template asks for them here.
Two queries at most, whatever the number of replies (see ``threads.thread_for``).
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse

from pagecache.middleware import keep_until
from pagecache.versions import page_version

from ..cookies import held_reply_ids
from ..forms import ReplyForm
from ..models import MAX_DEPTH, Comment, thread_version_name
from ..moderation import comments_close_at, comments_open
from ..spam import Refused, check_form_token, issue_form_token
from ..threads import thread_for

register = template.Library()


@dataclass
class Respond:
    """What the “LEAVE A REPLY” block needs, wherever on the page it goes."""

    form: ReplyForm
    action: str
    token: str
    article_url: str
    is_open: bool
    with_csrf: bool
    parent: Comment | None = None
    notice: str = ""


@register.inclusion_tag("comments/comments.html", takes_context=True)
def comments_for(context, article):
    """The “N Comments” heading, the threaded replies and the reply form for ``article``.

    A view that re-shows the form after a failed post passes ``comment_form``
    (bound, with its errors) and, when the post was refused as a whole,
    ``comment_notice``. Readers with no reply of their own in waiting and no
    reply being answered all see the same thread: it is kept rendered under
    the thread's own version, which a reply approved, edited or removed
    bumps (``models.replies_changed``).
    """
    request = context.get("request")
    held_ids = held_reply_ids(request)
    respond = _respond(request, article, context.get("comment_form"), context.get("comment_notice", ""))
    parent_id = _reply_target(request, respond.form)
    thread = None
    if held_ids or parent_id:
        thread = thread_for(article, held_ids)
        if respond.is_open and parent_id and thread.can_reply_to(parent_id):
            respond.parent = thread.by_id[parent_id]
            respond.parent.respond_here = True
    return {
        "article": article,
        "thread": thread,
        "respond": respond,
        "csrf_token": context.get("csrf_token"),
        "max_depth": MAX_DEPTH,
        "seconds": settings.PAGE_CACHE_SECONDS,
        "version": None if thread else page_version(thread_version_name(article.pk)),
    }


@register.inclusion_tag("comments/partials/thread.html")
def shared_thread(article, respond):
    """The thread every reader sees alike (inside ``{% cache %}`` in ``comments/comments.html``)."""
    return {"thread": thread_for(article), "respond": respond, "csrf_token": None, "max_depth": MAX_DEPTH}


def _respond(request, article, form, notice):
    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    if form is None:
        initial = {"author": user.get_full_name() or user.get_username(), "email": user.email} if logged_in else {}
        form = ReplyForm(article=article, initial=initial)
    else:
        _focus_first_error(form)
    is_open = comments_open(article)
    if is_open and request is not None and (closing := comments_close_at(article)):
        keep_until(request, closing)  # the page cache must not offer the form after that
    return Respond(
        form=form,
        action=reverse("comments:post", args=[article.pk]),
        token=_token(form, article),
        article_url=article.get_absolute_url(),
        is_open=is_open,
        with_csrf=logged_in,
        notice=notice,
    )


def _focus_first_error(form):
    """A re-shown form opens on the first field to fix; its message is read out with it (aria-describedby)."""
    for name, field in form.fields.items():
        if name in form.errors and not field.widget.is_hidden:
            field.widget.attrs["autofocus"] = True
            return


def _token(form, article):
    """A re-shown form keeps the token it was posted with, so fixing a typo quickly is not taken for a bot."""
    if form.is_bound:
        try:
            check_form_token(form.data.get("token"), article)
            return form.data["token"]
        except Refused:
            pass
    return issue_form_token(article)


def _reply_target(request, form):
    """The reply being answered: the one posted (form re-shown) or ``?replytocom=ID`` (no JavaScript)."""
    raw = form.data.get("parent", "") if form.is_bound else (request.GET.get("replytocom", "") if request else "")
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 19:
        return int(raw)
    return None


@register.simple_tag
def pending_replies_count():
    """For the admin index: how many replies wait for a moderator."""
    return Comment.objects.pending().count()
