from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import urlize
from django.utils.text import Truncator

from articles.models import Article
from pagecache.versions import invalidate_page

MAX_DEPTH = 5
TEXT_MAX_LENGTH = 65525
AUTHOR_MAX_LENGTH = 245
EMAIL_MAX_LENGTH = 100
URL_MAX_LENGTH = 200
AVATAR_COLOURS = 8


def render_reader_text(text):
    """Reader text as safe HTML: escaped, bare URLs linked with ``rel="nofollow ugc"``, line breaks kept.

    ``urlize`` escapes everything that is not a link it made, so every ``<a``
    left in its output is one of ours; that is what lets the ``rel`` be added
    by a plain replacement.
    """
    html = urlize(text, trim_url_limit=60, nofollow=False, autoescape=True)
    html = html.replace('<a href="', '<a rel="nofollow ugc" href="')
    return html.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def thread_version_name(article_id):
    """What a story's rendered reply thread is kept under (``comments/comments.html``): the story, not its
    address, so that a story moved back to an old address never finds an old thread there."""
    return f"replies:{article_id}"


def replies_changed(article):
    """Replies show on their story's page only: that page and its thread go stale, the rest of the site stays."""
    invalidate_page(article.get_absolute_url())
    invalidate_page(thread_version_name(article.pk))


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=self.model.Status.APPROVED)

    def pending(self):
        return self.filter(status=self.model.Status.PENDING)

    def for_thread(self, article):
        """The approved replies of one story, oldest first: one query for the whole thread.

        Loads only what a reader sees (never the email, IP or browser), in the
        order of the ``comment_thread_idx`` index.
        """
        return (
            self.approved()
            .filter(article=article)
            .only("id", "parent_id", "depth", "author", "url", "html", "created_at")
            .order_by("created_at", "id")
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="in reply to",
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False, help_text="1 for a reply to the story.")
    author = models.CharField("name", max_length=AUTHOR_MAX_LENGTH)
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, help_text="Never shown on the site.")
    url = models.URLField("website", max_length=URL_MAX_LENGTH, blank=True)
    text = models.TextField("comment", max_length=TEXT_MAX_LENGTH)
    html = models.TextField(editable=False, help_text="The text as shown to readers, made when the reply is saved.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="The account the reply was posted from, if the reader was logged in.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True, unpack_ipv4=True)
    user_agent = models.CharField("browser", max_length=500, blank=True)
    created_at = models.DateTimeField("posted", default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="comment_queue_idx"),
            models.Index(fields=["-created_at", "-id"], name="comment_recent_idx"),
            models.Index(fields=["email"], name="comment_email_idx"),
            models.Index(fields=["ip_address"], name="comment_ip_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(depth__gte=1, depth__lte=MAX_DEPTH), name="comment_depth_within_limit"
            ),
        ]

    def __str__(self):
        return f"{self.author}: {Truncator(self.text).chars(60)}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def initials(self):
        """Up to two letters for the avatar: “Ada Lovelace” → “AL”, “ada” → “A”."""
        letters = [word[0] for word in self.author.split() if word[0].isalnum()]
        if len(letters) > 2:
            letters = [letters[0], letters[-1]]
        return "".join(letters).upper() or "?"

    @property
    def avatar_colour(self):
        """One of a few palette colours, the same for the same name on every page."""
        return sum(map(ord, self.author.strip().lower())) % AVATAR_COLOURS

    def render(self):
        """Make the reader-facing HTML (called by ``save()``; call it yourself before ``bulk_create``)."""
        self.html = render_reader_text(self.text)
        self.depth = self.parent.depth + 1 if self.parent_id else 1

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "text" in update_fields:
            self.render()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "html", "depth"}
        super().save(*args, **kwargs)

    # Moderation: each transition records who made it and when, and refreshes the cached pages.

    def approve(self, by):
        self.moderate(self.Status.APPROVED, by)

    def mark_spam(self, by):
        self.moderate(self.Status.SPAM, by)

    def trash(self, by):
        self.moderate(self.Status.TRASH, by)

    def restore(self, by):
        """Back to the moderators' queue, from spam or the trash."""
        self.moderate(self.Status.PENDING, by)

    def moderate(self, status, by):
        was_visible = self.is_approved
        self.status = status
        self.moderated_by = by
        self.moderated_at = timezone.now()
        self.save(update_fields=["status", "moderated_by", "moderated_at"])
        if was_visible or self.is_approved:
            replies_changed(self.article)


class DisallowedTerm(models.Model):
    """A word, address or IP that sends a reply straight to spam (moderators keep the list)."""

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text=(
            "A word, phrase, email address, website or IP address. A reply whose name, email, website, text, "
            "IP address or browser contains it (in any letter case) goes straight to spam: “casino” also "
            "catches “casinos”, so prefer whole, unusual words."
        ),
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why it is on the list, for other moderators.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["term"]
        verbose_name = "disallowed word or address"
        verbose_name_plural = "disallowed words and addresses"

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = self.term.strip()
        super().save(*args, **kwargs)
