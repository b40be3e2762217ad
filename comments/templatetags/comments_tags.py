"""The comments block of the article page: ``{% load comments_tags %}{% comments_for article %}``.

The articles app knows nothing of comments; its template asks for them here.
Two queries at most, whatever the number of replies (see ``threads.thread_for``).
"""

from dataclasses import dataclass
from functools import cache as once
from functools import partial

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from articles.pagecache import kept_for_generation, page_changes_at, page_version

from ..cookies import held_reply_ids
from ..forms import ReplyForm
from ..models import Comment
from ..moderation import comments_close_at, comments_open
from ..spam import Refused, check_form_token, issue_form_token
from ..threads import render_thread, thread_for

register = template.Library()

REPLY_FIELDS_TEMPLATE = "comments/partials/reply_fields.html"
# How long an unread story's rendered thread stays in the cache; any change to it replaces it sooner.
THREAD_CACHE_SECONDS = 3600


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
    fields_html: str = ""


@register.inclusion_tag("comments/comments.html", takes_context=True)
def comments_for(context, article):
    """The “N Comments” heading, the threaded replies and the reply form for ``article``.

    A view that re-shows the form after a failed post passes ``comment_form``
    (bound, with its errors) and, when the post was refused as a whole,
    ``comment_notice``.
    """
    request = context.get("request")
    held_ids = held_reply_ids(request)
    respond = _respond(request, article, context.get("comment_form"), context.get("comment_notice", ""))
    parent_id = _reply_target(request, respond.form)
    csrf_token = context.get("csrf_token")
    if held_ids or parent_id:
        thread = thread_for(article, held_ids)
        if respond.is_open and parent_id and thread.can_reply_to(parent_id):
            respond.parent = thread.by_id[parent_id]
            respond.parent.respond_here = True
        count, thread_html = thread.count, render_thread(thread, respond, csrf_token)
    else:
        count, thread_html = _shared_thread(article, respond)
    return {"count": count, "thread_html": thread_html, "respond": respond, "csrf_token": csrf_token}


def _shared_thread(article, respond):
    """The replies as seen by every reader with no reply of their own in waiting: rendered once per content.

    Rendering a long thread is most of the article page's cost. Everything
    that changes it either bumps the story page's own version (a reply
    approved, edited, removed: ``Comment.refresh_article_page``) or the
    site's generation (a story saved, replies loaded in bulk), and both are
    part of the name it is kept under, and so is whether replies are open.
    """
    name = f"thread:{article.pk}:{page_version(respond.article_url)}:{respond.is_open}"
    return kept_for_generation(name, partial(_fresh_thread, article, respond), THREAD_CACHE_SECONDS)


def _fresh_thread(article, respond):
    thread = thread_for(article)
    return thread.count, render_thread(thread, respond, None)


def _respond(request, article, form, notice):
    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    if form is None:
        initial = {"author": user.get_full_name() or user.get_username(), "email": user.email} if logged_in else {}
        form = ReplyForm(article=article, initial=initial)
    else:
        _focus_first_error(form)
    is_open = comments_open(article)
    if is_open and (closing := comments_close_at(article)):
        page_changes_at(closing.timestamp())  # the page cache must not offer the form after that
    return Respond(
        form=form,
        action=reverse("comments:post", args=[article.pk]),
        token=_token(form, article),
        article_url=article.get_absolute_url(),
        is_open=is_open,
        with_csrf=logged_in,
        notice=notice,
        fields_html=_fields_html(form) if is_open else "",
    )


def _fields_html(form):
    if form.is_bound or form.initial:
        return render_to_string(REPLY_FIELDS_TEMPLATE, {"form": form})
    return _blank_fields_html()


@once
def _blank_fields_html():
    """An empty form's fields are the same on every page: rendered once per process, not on every render."""
    return render_to_string(REPLY_FIELDS_TEMPLATE, {"form": ReplyForm(article=None)})


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
