"""Sitemaps for search engines, served through ``django.contrib.sitemaps``.

``/sitemap.xml`` is an index of the children in ``SITEMAPS`` (home, sections,
articles, tags), each at ``/sitemap-<name>.xml`` and split into pages of
``limit`` URLs that the index lists one by one. Every child is two queries
(count, page) and the index two per child (count, latest change), however
large the archive.

``lastmod`` is when the page last changed for a reader: the later of a story's
publication and its last edit (a scheduled story is saved before its minute
comes, so ``updated_at`` alone would date it too early); for a listing, the
latest such moment among the stories it shows.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from .models import Article, Section, Tag

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000
"""Google News reads only stories of the last two days, and at most 1,000 URLs per news sitemap."""


def with_last_change(stories):
    return stories.annotate(last_change=Greatest("published_at", "updated_at"))


def last_change_among(stories_of):
    """A subquery for a listing's ``lastmod``: the latest change among its published stories.

    ``stories_of`` filters ``Article.objects.published()`` down to the listing's
    stories for the outer row (``OuterRef("pk")``); a listing with none gets NULL.
    """
    latest = with_last_change(stories_of(Article.objects.published())).order_by("-last_change")
    return Subquery(latest.values("last_change")[:1])


def to_the_second(moment):
    return moment.replace(microsecond=0) if moment else None


class ChangeDatedSitemap(Sitemap):
    """Items carry a ``last_change`` annotation; the index dates the child by the latest of them."""

    def lastmod(self, item):
        return to_the_second(item.last_change)

    def get_latest_lastmod(self):
        # One aggregate query; the framework's default would load every item.
        return to_the_second(self.items().aggregate(latest=Max("last_change"))["latest"])


class HomeSitemap(Sitemap):
    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self.get_latest_lastmod()

    def get_latest_lastmod(self):
        latest = with_last_change(Article.objects.published()).aggregate(latest=Max("last_change"))["latest"]
        return to_the_second(latest)


class SectionSitemap(ChangeDatedSitemap):
    """Sections that have published stories (an empty section page is nothing to index)."""

    def items(self):
        last_change = last_change_among(lambda stories: stories.filter(section=OuterRef("pk")))
        return Section.objects.annotate(last_change=last_change).filter(last_change__isnull=False)


class ArticleSitemap(ChangeDatedSitemap):
    limit = 5000

    def items(self):
        # Oldest first: a new story lands on the last page, so earlier pages keep their URLs.
        stories = Article.objects.published().select_related("section").only("slug", "section__slug")
        return with_last_change(stories).order_by("published_at", "pk")


class TagSitemap(ChangeDatedSitemap):
    """Tag pages with at least one published story; a tag on drafts alone is not listed."""

    limit = 5000

    def items(self):
        last_change = last_change_among(lambda stories: stories.filter(tagged_items__tag=OuterRef("pk")))
        return Tag.objects.annotate(last_change=last_change).filter(last_change__isnull=False).order_by("pk")


SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
}


def news_stories():
    """Stories for the Google News sitemap: the last 48 hours', newest first, at most ``NEWS_LIMIT``."""
    since = timezone.now() - NEWS_WINDOW
    stories = Article.objects.published().filter(published_at__gte=since).newest_first()
    return stories.select_related("section").only("headline", "slug", "published_at", "section__slug")[:NEWS_LIMIT]
