"""QuerySet methods for articles: every reader query starts from ``published()``."""

from datetime import timedelta

from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Stories readers may see: published, and their minute has come.

        A scheduled story (published with a future ``published_at``) turns up
        here on its own once the clock passes it; no cron job flips a flag.
        """
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        return self.filter(tagged_items__tag=tag)

    def by_author(self, user):
        return self.filter(authors=user)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        """What a story card with a byline needs: two queries for any page size."""
        return self.select_related("section").prefetch_related("authors").defer("body")

    def for_headlines(self):
        """What a headline link or a small card needs: one query, no byline."""
        return self.select_related("section").defer("body", "standfirst")

    def related_to(self, article):
        """Stories sharing the most tags with ``article``, then its section, newest first.

        Stories that share neither a tag nor the section are left out; the
        article itself never appears.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        return (
            self.exclude(pk=article.pk)
            .annotate(
                shared_tags=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True),
                same_section=Count("pk", filter=Q(section_id=article.section_id), distinct=True),
            )
            .filter(Q(shared_tags__gt=0) | Q(section_id=article.section_id))
            .order_by("-shared_tags", "-same_section", "-published_at", "-pk")
        )

    def most_popular(self, days=7, limit=5):
        """The most-read stories of the last ``days`` days, by their daily view counts.

        Joins only the stories read in the window (index on ``DailyViews.day``),
        so the cost follows the week's reads, not the size of the archive.
        """
        since = timezone.localdate() - timedelta(days=days - 1)
        return (
            self.filter(daily_views__day__gte=since)
            .annotate(recent_views=Sum("daily_views__count"))
            .order_by("-recent_views", "-published_at")[:limit]
        )
