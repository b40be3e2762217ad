"""Replies arranged as the reader sees them: a tree built in Python from one query, never a query per reply."""

from dataclasses import dataclass, field
from html import escape

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.templatetags.timestamps import machine_datetime, reply_datetime_formatter

from .models import MAX_DEPTH, Comment

RESPOND_TEMPLATE = "comments/partials/respond.html"


@dataclass
class Thread:
    roots: list = field(default_factory=list)
    count: int = 0
    by_id: dict = field(default_factory=dict)

    def can_reply_to(self, pk):
        """Only an approved reply that is on the page and not at the deepest level can be answered."""
        comment = self.by_id.get(pk)
        return comment is not None and not comment.is_held and comment.depth < MAX_DEPTH


def build_thread(approved, held=()):
    """Arrange replies under their parents, oldest first at every level.

    ``held`` are this reader's own replies still awaiting moderation: shown
    to them in place, never counted. A reply whose parent is not on the page
    (trashed, say) is left out with its own replies, so the page never shows
    an answer to something readers cannot see; the count is what is shown.
    """
    comments = sorted([*approved, *held], key=lambda c: (c.created_at, c.pk))
    held_ids = {c.pk for c in held}
    thread = Thread()
    for comment in comments:
        comment.is_held = comment.pk in held_ids
        comment.children = []
        comment.respond_here = False
        thread.by_id[comment.pk] = comment
    for comment in comments:
        if comment.parent_id is None:
            thread.roots.append(comment)
        elif comment.parent_id in thread.by_id:
            thread.by_id[comment.parent_id].children.append(comment)
    shown = {}
    stack = list(thread.roots)
    while stack:
        comment = stack.pop()
        shown[comment.pk] = comment
        stack.extend(comment.children)
    thread.by_id = shown
    thread.count = sum(1 for comment in shown.values() if not comment.is_held)
    return thread


def thread_for(article, held_ids=()):
    """One query for the approved replies, and one more only when the reader has held replies of their own."""
    approved = list(Comment.objects.for_thread(article))
    held = []
    if held_ids:
        held = list(
            Comment.objects.filter(
                pk__in=held_ids, article=article, status__in=[Comment.Status.PENDING, Comment.Status.SPAM]
            ).only("id", "parent_id", "depth", "author", "url", "html", "created_at")
        )
    return build_thread(approved, held)


def render_thread(thread, respond, csrf_token=None):
    """The thread's HTML: ``<ol class="comment-list">`` with every reply, nested as the tree is.

    Written in Python rather than as a template: a long thread has a few
    thousand values to place, and the template engine took about 130 µs a
    reply where this takes about 30 (200 replies: 26 ms against 6, in a
    first render of the article page that now takes 33–55 ms). Everything
    that comes from readers is escaped here, except ``html``, made safe
    when the reply was saved (``render_reader_text``). The reply form, shown
    under the reply being answered when there is no JavaScript, is still the
    template everyone else uses.
    """
    if not thread.roots:
        return ""
    article_url = escape(respond.article_url)
    can_reply = respond.is_open
    reply_datetime = reply_datetime_formatter()
    parts = ['<ol class="comment-list">\n']

    def add(comments):
        for comment in comments:
            pk, author = comment.pk, escape(comment.author)
            held = comment.is_held
            created = timezone.localtime(comment.created_at)
            name = f'<a href="{escape(comment.url)}" rel="nofollow ugc">{author}</a>' if comment.url else author
            initials = escape(comment.initials)
            parts.append(
                f'<li id="comment-{pk}" class="comment depth-{comment.depth}{" comment--held" if held else ""}">\n'
                f'<article id="div-comment-{pk}" class="comment__body">\n'
                f'<footer class="comment__meta">\n'
                f'<span class="avatar avatar--{comment.avatar_colour}" aria-hidden="true">{initials}</span>\n'
                f'<b class="comment__author">{name}</b>\n'
                f'<a class="comment__permalink" href="{article_url}#comment-{pk}">'
                f'<time datetime="{machine_datetime(created)}">{escape(reply_datetime(created))}</time></a>\n'
                f"</footer>\n"
            )
            if held:
                parts.append('<p class="comment__held" role="alert">Your comment is awaiting moderation.</p>\n')
            parts.append(f'<div class="comment__text"><p>{comment.html}</p></div>\n')
            if can_reply and not held and comment.depth < MAX_DEPTH:
                parts.append(
                    f'<p class="comment__reply"><a class="comment-reply-link" rel="nofollow" '
                    f'href="{article_url}?replytocom={pk}#respond" data-comment-id="{pk}" data-author="{author}" '
                    f'aria-label="Reply to {author}">Reply</a></p>\n'
                )
            parts.append("</article>\n")
            if comment.respond_here:
                parts.append(render_to_string(RESPOND_TEMPLATE, {"respond": respond, "csrf_token": csrf_token}))
            if comment.children:
                parts.append('<ol class="children">\n')
                add(comment.children)
                parts.append("</ol>\n")
            parts.append("</li>\n")

    add(thread.roots)
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308 (reader values escaped above; html made safe on save)
