"""Moderation policy: whether a story takes replies, where a new reply starts, and who hears about it."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from .models import Comment
from .spam import disallowed_term_in, has_too_many_links

logger = logging.getLogger(__name__)

MODERATORS_GROUP = "Moderators"


def comments_open(article, now=None):
    """Replies are taken while the story allows them and, with ``COMMENTS_CLOSE_AFTER_DAYS`` set, for that long."""
    if not article.comments_open:
        return False
    closing = comments_close_at(article)
    return closing is None or (now or timezone.now()) < closing


def comments_close_at(article):
    """When the story stops taking replies by its age (``COMMENTS_CLOSE_AFTER_DAYS``), or None if it never does."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days is None or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)


def can_moderate(user):
    return user.is_authenticated and user.has_perm("comments.change_comment")


def initial_status(comment, *, user=None):
    """Where a new reply starts.

    A match on the moderators' word list goes to spam. Anything with more
    links than ``COMMENTS_MAX_LINKS`` is held even where a rule below would
    approve it. A moderator's own reply, and (with
    ``COMMENTS_APPROVE_KNOWN_AUTHORS``) one from an email with an approved
    reply already, are approved; everything else waits in the queue.
    """
    moderator = user is not None and can_moderate(user)
    if not moderator and disallowed_term_in(comment):
        return Comment.Status.SPAM
    if has_too_many_links(comment):
        return Comment.Status.PENDING
    if moderator:
        return Comment.Status.APPROVED
    if (
        settings.COMMENTS_APPROVE_KNOWN_AUTHORS
        and Comment.objects.approved().filter(email__iexact=comment.email).exists()
    ):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def moderator_emails():
    """``COMMENTS_MODERATOR_EMAILS`` and the active members of the Moderators group, each address once."""
    members = get_user_model().objects.filter(groups__name=MODERATORS_GROUP, is_active=True).exclude(email="")
    addresses = [*settings.COMMENTS_MODERATOR_EMAILS, *members.order_by("email").values_list("email", flat=True)]
    return list(dict.fromkeys(addresses))


def notify_moderators(comment, site_root):
    """Mail the moderators about a reply waiting for them. Run it in ``transaction.on_commit``.

    ``site_root`` (``request.build_absolute_uri("/")``) makes the admin links absolute.

    A mail server that is down must not cost the reader their reply nor show
    them an error: the failure is logged and the reply waits in the queue.
    """
    recipients = moderator_emails()
    if not recipients:
        return
    article = comment.article
    queue = site_root.rstrip("/") + reverse("admin:comments_comment_changelist")
    change = site_root.rstrip("/") + reverse("admin:comments_comment_change", args=[comment.pk])
    body = (
        f"A new reply on “{article.headline}” is waiting for moderation.\n\n"
        f"Name: {comment.author}\nEmail: {comment.email}\nWebsite: {comment.url or '-'}\n"
        f"IP address: {comment.ip_address or '-'}\n\n{comment.text}\n\n"
        f"Approve, mark as spam or trash it: {change}\nAll replies waiting: {queue}\n"
    )
    subject = f"[{settings.SITE_NAME}] Reply awaiting moderation: {article.headline}"
    try:
        send_mail(" ".join(subject.split()), body, None, recipients)
    except Exception:
        logger.exception("Could not mail the moderators about reply %s", comment.pk)
