import html
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .publication import content_changed
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


def is_public(status, published_at):
    """Readers see a story once it is published and its time has come (``ArticleQuerySet.published``)."""
    return status == Article.Status.PUBLISHED and published_at is not None and published_at <= timezone.now()


def is_scheduled(status, published_at):
    return status == Article.Status.PUBLISHED and published_at is not None and published_at > timezone.now()


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
        return reverse("articles:section", args=[self.slug])

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        content_changed(seen_before=True, seen_after=True)  # every page's navigation lists the sections

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed(seen_before=True, seen_after=False)
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
        return reverse("articles:tag", args=[self.slug])

    def save(self, *args, **kwargs):
        new = self._state.adding
        before = None if new else Tag.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        seen = not new and self.on_public_stories()  # a new tag is on no story yet
        pages = [reverse("articles:tag", args=[slug]) for slug in {before, self.slug} if slug]
        content_changed(seen_before=seen, seen_after=seen, pages=pages)

    def delete(self, *args, **kwargs):
        seen, page = self.on_public_stories(), self.get_absolute_url()
        result = super().delete(*args, **kwargs)
        # After the delete: a reader in between would keep the tag under the new version.
        content_changed(seen_before=seen, seen_after=False, pages=[page])
        return result

    def on_public_stories(self):
        return Article.objects.published().tagged(self).exists()


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
        return reverse("articles:article", args=[self.section.slug, self.slug])

    @property
    def is_published(self):
        return is_public(self.status, self.published_at)

    @property
    def is_scheduled(self):
        return is_scheduled(self.status, self.published_at)

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

    def prepare(self, stored=None):
        """What every save works out before writing: slug, publication time, safe body, derived excerpt.

        ``stored`` is the story as stored (``_stored()``), None for a new one.
        The bulk loader (``articles.loading``) calls it for each new story.
        """
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body = sanitise_body(self.body)
        if not self.excerpt.strip() or (stored and self.excerpt == excerpt_from(stored["body"])):
            self.excerpt = excerpt_from(self.body)  # derived excerpts follow corrections to the body

    def save(self, *args, **kwargs):
        """Save, then make renditions and the search vector, and empty what readers could see change.

        Tags and authors changed in code, outside the admin, show on reader
        pages once the story is saved again.
        """
        stored = self._stored()
        self.prepare(stored)
        super().save(*args, **kwargs)
        self._update_renditions((stored["image"], stored["renditions"]) if stored else None)
        Article.objects.filter(pk=self.pk).refresh_search_vectors()
        was_scheduled = bool(stored) and is_scheduled(stored["status"], stored["published_at"])
        content_changed(
            seen_before=bool(stored) and is_public(stored["status"], stored["published_at"]),
            seen_after=self.is_published,
            scheduled_for=self.published_at if self.is_scheduled else stored["published_at"] if was_scheduled else None,
        )

    def delete(self, *args, **kwargs):
        delete_renditions(self.renditions)
        seen, scheduled_for = self.is_published, self.published_at if self.is_scheduled else None
        result = super().delete(*args, **kwargs)
        # After the delete: a reader in between would keep the story under the new version.
        content_changed(seen_before=seen, seen_after=False, scheduled_for=scheduled_for)
        return result

    def _stored(self):
        """What this save compares with, as stored (None for a new story)."""
        if self.pk is None:
            return None
        stored = Article.objects.filter(pk=self.pk)
        return stored.values("body", "image", "renditions", "status", "published_at").first()

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


def next_scheduled_publication():
    """When the next scheduled story goes live (``PAGE_CACHE_SCHEDULE``), or None."""
    return Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True).first()


# What of a person's account readers see: their byline and author page. Accounts belong to Django's auth app,
# so their changes are heard through its signals.
BYLINE_FIELDS = ("username", "first_name", "last_name", "is_active")


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_byline(sender, instance, update_fields, **kwargs):
    """Before an account is saved, its byline as stored (a login or a password change leaves it alone)."""
    touched = update_fields is None or not set(update_fields).isdisjoint(BYLINE_FIELDS)
    stored = sender.objects.filter(pk=instance.pk).values_list(*BYLINE_FIELDS) if instance.pk and touched else None
    instance._byline_before = stored.first() if stored is not None else None


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _byline_saved(sender, instance, **kwargs):
    before = getattr(instance, "_byline_before", None)
    if before and before != tuple(getattr(instance, name) for name in BYLINE_FIELDS):
        _byline_changed(instance, author_pages=[before[0], instance.username])


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _note_departing_author(sender, instance, **kwargs):
    instance._bylined = Article.objects.published().by_author(instance).exists()


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def _byline_deleted(sender, instance, **kwargs):
    """After the delete, so that no reader in between keeps the old byline under the new version."""
    content_changed(seen_before=getattr(instance, "_bylined", False), seen_after=False, pages=[_author_page(instance)])


def _byline_changed(user, author_pages):
    bylined = Article.objects.published().by_author(user).exists()
    content_changed(seen_before=bylined, seen_after=bylined, pages=[_author_page(name) for name in author_pages])


def _author_page(user_or_name):
    return reverse("articles:author", args=[getattr(user_or_name, "username", user_or_name)])
