import html
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .addresses import address
from .pagecache import invalidate_pages
from .querysets import ArticleQuerySet
from .renditions import delete_renditions, make_renditions
from .sanitising import sanitise_body

RESERVED_SLUGS = frozenset(
    {
        "admin", "author", "comments", "feed", "media", "news-sitemap.xml", "preview",
        "robots.txt", "search", "sitemap.xml", "static", "tag", "views", "api", "accounts", "healthz",
        "favicon.ico",
    }
)  # fmt: skip


def excerpt_from(body):
    """The first forty words of the body, as plain text, for cards and search engines."""
    return Truncator(html.unescape(strip_tags(body)).replace("\n", " ")).words(40, truncate="…")


def validate_article_slug(value):
    if value.lower() == "feed":
        raise ValidationError("“feed” is the address of each section's RSS feed; choose another slug.", code="reserved")


def validate_not_reserved(value):
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            "“%(value)s” is used by another part of the site; choose another slug.",
            code="reserved",
            params={"value": value},
        )


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_not_reserved],
        help_text="The section's address, e.g. “politics” for /politics/.",
    )
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the navigation, lowest first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("articles:section", self.slug)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_pages()  # the navigation on every page, kept under the generation (navigation_sections)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        invalidate_pages()
        return result


class Tag(TagBase):
    class Meta:
        ordering = ["name"]
        verbose_name = "tag"
        verbose_name_plural = "tags"

    def slugify(self, tag, i=None):
        """ASCII slugs (“São Paulo” → “sao-paulo”): tag pages live at /tag/<slug>/, a plain slug route."""
        slug = slugify(tag) or "tag"
        return slug if i is None else f"{slug}-{i}"

    def get_absolute_url(self):
        return address("articles:tag", self.slug)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_pages()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        invalidate_pages()  # after: a reader in between would keep the tag under the new generation
        return result


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")]
        indexes = [models.Index(fields=["tag", "content_object"])]


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        validators=[validate_article_slug],
        help_text="The story's address; unique across the site.",
    )
    standfirst = models.TextField(
        blank=True, max_length=600, help_text="The one- or two-sentence summary under the headline."
    )
    excerpt = models.TextField(
        blank=True,
        max_length=400,
        help_text="For story cards and search engines. Left blank, it is taken from the start of the body.",
    )
    body = ProseEditorField(
        blank=True,
        extensions={
            "Bold": True,
            "Italic": True,
            "Underline": True,
            "Strike": True,
            "Heading": {"levels": [2, 3, 4]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HorizontalRule": True,
            "Link": {"protocols": ["http", "https", "mailto"]},
            "Table": True,
            "TableRow": True,
            "TableHeader": True,
            "TableCell": True,
        },
        help_text="The story. Scripts and unsafe markup are removed on save.",
        sanitize=True,
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(through=TaggedArticle, blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="articles", blank=True, help_text="Shown as the byline."
    )
    image = models.ImageField(upload_to="articles/%Y/%m/", blank=True, verbose_name="featured image")
    image_alt = models.CharField(
        max_length=250,
        blank=True,
        verbose_name="alt text",
        help_text="What the image shows, for readers who can't see it.",
    )
    image_caption = models.CharField(max_length=300, blank=True, verbose_name="caption")
    image_credit = models.CharField(max_length=150, blank=True, verbose_name="credit")
    renditions = models.JSONField(default=list, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="publication time",
        help_text="A future time schedules the story: it appears by itself at that minute.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Any save or change of tags, shown to nobody: what a stored related ranking is repaired with.
    changed_at = models.DateTimeField(auto_now=True, db_index=True, editable=False)
    # The closest stories when this one was last saved (``querysets.rank_related``), repaired when read.
    related_ranking = models.JSONField(null=True, blank=True, editable=False)
    comments_open = models.BooleanField(default=True, help_text="Readers may leave replies.")
    search_vector = SearchVectorField(null=True, editable=False)
    is_lead = models.BooleanField(
        default=False, verbose_name="lead story", help_text="Shown large at the top of the home page."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish and schedule articles")]
        indexes = [
            # Listings order by (published_at, id) descending: with id in the index,
            # a page is read in index order, with no sort of the whole section.
            models.Index(fields=["status", "-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at", "-id"], name="article_section_idx"),
            # The home page's lead story: a handful of flagged rows, found without scanning the archive.
            models.Index(fields=["-published_at"], condition=models.Q(is_lead=True), name="article_lead_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="published_has_time",
            )
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return address("articles:article", self.section.slug, self.slug)

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self):
        return self.published_at is not None and self.updated_at - self.published_at > timedelta(minutes=5)

    def can_be_edited_by(self, user):
        """Editors (who may publish) change any story; reporters only their own drafts."""
        if not (user.is_active and user.is_staff and user.has_perm("articles.change_article")):
            return False
        if user.has_perm("articles.publish_article"):
            return True
        if self.pk is None:
            return True
        return self.status == self.Status.DRAFT and self.authors.filter(pk=user.pk).exists()

    @property
    def social_image(self):
        """The 1200-wide rendition, for social cards and structured data."""
        return self.image_rendition(1200)

    def image_srcset(self):
        return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in self.renditions)

    def image_rendition(self, width=800):
        """The narrowest rendition at least ``width`` wide (or the widest there is)."""
        for rendition in self.renditions:
            if rendition["width"] >= width:
                break
        else:
            rendition = self.renditions[-1] if self.renditions else None
        if rendition is None:
            return None
        return {**rendition, "url": default_storage.url(rendition["name"])}

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def publish(self, when=None):
        self.status = self.Status.PUBLISHED
        self.published_at = when or self.published_at or timezone.now()

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body = sanitise_body(self.body)
        stored = self._stored()
        if not self.excerpt.strip() or (stored and self.excerpt == excerpt_from(stored["body"])):
            self.excerpt = excerpt_from(self.body)  # derived excerpts follow corrections to the body
        previous_image = (stored["image"], stored["renditions"]) if stored else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "changed_at"}
        super().save(*args, **kwargs)
        self._update_renditions(previous_image)
        Article.objects.filter(pk=self.pk).refresh_search_vectors()
        invalidate_pages()
        transaction.on_commit(partial(Article.objects.rank_related, self.pk), robust=True)

    def delete(self, *args, **kwargs):
        delete_renditions(self.renditions)
        result = super().delete(*args, **kwargs)
        invalidate_pages()  # after: a reader in between would keep the story under the new generation
        return result

    def _stored(self):
        """Body, image and renditions as stored before this save (None for a new story)."""
        if self.pk is None:
            return None
        return Article.objects.filter(pk=self.pk).values("body", "image", "renditions").first()

    def _update_renditions(self, previous):
        """Make renditions once, after the upload is stored; drop those of a replaced image."""
        unchanged = (previous[0] if previous else "") == (self.image.name or "")
        if unchanged and (self.renditions or not self.image):
            return
        if previous is not None:
            delete_renditions(previous[1])
        self.renditions = make_renditions(self.image) if self.image else []
        Article.objects.filter(pk=self.pk).update(renditions=self.renditions)


class DailyViews(models.Model):
    """Reads of one story on one day: what "Most Popular" ranks by.

    Written by the read beacon with one atomic upsert per read (see
    ``articles.popularity``), never during a page render.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="unique_article_day")]
        indexes = [models.Index(fields=["day", "article"])]
        verbose_name_plural = "daily views"

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.count}"


@receiver(m2m_changed, sender=Article.authors.through)
@receiver(m2m_changed, sender=TaggedArticle)
def refresh_after_relinking(sender, action, instance, reverse, pk_set, **kwargs):
    """Authors and tags added to or taken from a story, in the admin or in code, show on the next request."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    invalidate_pages()
    if sender is TaggedArticle:  # the stories' relatedness changed: their rankings are repaired or made again
        stories = [instance.pk] if not reverse else list(pk_set or ())
        if reverse and action == "post_clear":
            stories = None  # the tag's stories are gone from it; which they were is no longer known
        changed = Article.objects.all() if stories is None else Article.objects.filter(pk__in=stories)
        changed.update(changed_at=timezone.now())
        if not reverse:
            transaction.on_commit(partial(Article.objects.rank_related, instance.pk), robust=True)


# What of a person's account readers see: their byline and author page.
BYLINE_FIELDS = ("username", "first_name", "last_name", "is_active")


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def note_byline(sender, instance, update_fields, **kwargs):
    """Before an account is saved, what its byline was (a login or a password change leaves it alone)."""
    touched = update_fields is None or not set(update_fields).isdisjoint(BYLINE_FIELDS)
    stored = sender.objects.filter(pk=instance.pk).values_list(*BYLINE_FIELDS) if instance.pk and touched else None
    instance._byline_before = stored.first() if stored is not None else None


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def refresh_bylines(sender, instance, **kwargs):
    """An author renamed or deactivated: their bylines and author page change on the next request."""
    before = getattr(instance, "_byline_before", None)
    if before and before != tuple(getattr(instance, name) for name in BYLINE_FIELDS) and instance.articles.exists():
        invalidate_pages()


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def note_departing_author(sender, instance, **kwargs):
    instance._had_byline = instance.articles.exists()


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def refresh_bylines_of_departed(sender, instance, **kwargs):
    """An author's account deleted: their name leaves the bylines (after the delete, so no reader keeps it)."""
    if getattr(instance, "_had_byline", False):
        invalidate_pages()
