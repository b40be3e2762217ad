"""QuerySet methods for articles: every reader query starts from ``published()``."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection, models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from .publication import content_changed

SEARCH_CONFIG = "english"
# Highlight markers that cannot occur in text: the view turns them into <mark> after escaping.
MARK_START, MARK_STOP = "\x02", "\x03"


RELATED_ORDER = ("-shared_tags", "-same_section", "-published_at", "-pk")
# The related-articles page lists this many at most: ten pages of the closest stories.
RELATED_PAGE_LIMIT = 120


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Stories readers may see: published, and their minute has come.

        A scheduled story (published with a future ``published_at``) turns up
        here on its own once the clock passes it; no cron job flips a flag.
        """
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

    def delete(self):
        """Stories deleted in bulk empty what readers saw of them, as ``Article.delete()`` does (without removing
        renditions: delete one by one for that)."""
        seen = self.published().exists()
        result = super().delete()
        content_changed(seen_before=seen, seen_after=False)
        return result

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
        return self.select_related("section").prefetch_related("authors").defer("body", "search_vector")

    def for_story_page(self):
        """What the article page shows of its story: section, authors (their names only) and tags; not the
        search vector, which only search reads."""
        from django.contrib.auth import get_user_model

        authors = get_user_model().objects.only("username", "first_name", "last_name")
        return (
            self.select_related("section")
            .prefetch_related(models.Prefetch("authors", queryset=authors), "tags")
            .defer("search_vector")
        )

    def for_headlines(self):
        """What a headline link or a small card needs: one query, no byline."""
        return self.select_related("section").defer("body", "standfirst", "search_vector")

    def latest_per_section(self, sections, count, exclude=None):
        """The ``count`` newest stories of each section, in one query.

        The ids come from one small index-ordered subquery per section
        (``article_section_idx``), joined with UNION ALL, so the cost follows
        the number of sections, not the size of the archive. (An OR of
        ``pk__in`` subqueries makes PostgreSQL test every row of the table.)
        """
        if not sections:
            return self.none()
        exclude_pk = getattr(exclude, "pk", None)
        newest = [
            self.in_section(section).exclude(pk=exclude_pk).newest_first().values("pk")[:count] for section in sections
        ]
        return self.filter(pk__in=union_of_ids(newest))

    def popular_or_newest(self, days, limit):
        """Candidates for Most Popular, in one query: the ``limit`` most read of the last ``days`` days
        (``most_popular``) and the ``limit`` newest, to top the list up when reads are few; with ``recent_views``.

        Both parts are small index-ordered subqueries joined with UNION ALL
        (see ``latest_per_section``).
        """
        since = timezone.localdate() - timedelta(days=days - 1)
        candidates = [self.most_popular(days, limit).values("pk"), self.newest_first().values("pk")[:limit]]
        return self.filter(pk__in=union_of_ids(candidates)).annotate(
            recent_views=Sum("daily_views__count", filter=Q(daily_views__day__gte=since))
        )

    def lead(self):
        """The home page's lead story: the newest flagged as lead, else the newest (``article_lead_idx``)."""
        return self.filter(is_lead=True).newest_first().first() or self.newest_first().first()

    def latest_by_section(self, sections, count, exclude=None):
        """``(section, its newest stories)`` pairs in the order of ``sections``, ``exclude`` left out: one query."""
        by_section = {section.pk: [] for section in sections}
        for story in self.latest_per_section(sections, count, exclude=exclude).newest_first():
            by_section[story.section_id].append(story)
        return [(section, by_section[section.pk]) for section in sections if by_section[section.pk]]

    def popular(self, days, limit):
        """Most Popular: the most read of the last ``days`` days, topped up with the newest when reads are few."""
        candidates = list(self.popular_or_newest(days, limit))
        newest_first = sorted(candidates, key=lambda story: (story.published_at, story.pk), reverse=True)
        read = [story for story in newest_first if story.recent_views]
        read = sorted(read, key=lambda story: story.recent_views, reverse=True)[:limit]
        return read + [story for story in newest_first if story not in read][: limit - len(read)]

    def related_to(self, article, limit):
        """Up to ``limit`` related stories, in the order of ``related_ids``: a list."""
        return self.in_order(self.related_ids(article, limit))

    def related_ids(self, article, limit):
        """The ids of the stories closest to ``article``: most tags shared, then its section, then newest;
        when fewer than ``limit`` share a tag, its section's newest follow. The article itself never appears.

        Ranking reads every tag link of the story's tags: the costliest query
        on a big archive, and after a publish every story page renders again.
        So the ids are kept per story, until the story is saved again (its
        tags or section may have changed) or for ``PAGE_CACHE_SECONDS``:
        stories published meanwhile join its list then. Stories are read by
        id from ``self``, which should be ``published()``, so one withdrawn
        drops out at once.
        """
        key = f"related:{article.pk}:{article.updated_at.timestamp()}:{limit}"
        ids = cache.get(key)
        if ids is None:
            ids = list(self.sharing_tags_with(article)[:limit])
            if len(ids) < limit:
                section = self.in_section(article.section_id).exclude(pk__in=[article.pk, *ids]).newest_first()
                ids += list(section.values_list("pk", flat=True)[: limit - len(ids)])
            cache.set(key, ids, timeout=settings.PAGE_CACHE_SECONDS)
        return ids

    def sharing_tags_with(self, article):
        """Ids of the stories with at least one of ``article``'s tags, closest first (``RELATED_ORDER``).

        Reads only the tag links of those tags (index on ``TaggedArticle.tag``)
        and ranks bare ids: grouping whole rows costs twice as much on a big archive.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        return (
            self.prefetch_related(None)
            .filter(tagged_items__tag_id__in=tag_ids)
            .exclude(pk=article.pk)
            .values("pk")
            .annotate(
                shared_tags=Count("tagged_items"),
                same_section=Case(When(section_id=article.section_id, then=1), default=0),
            )
            .order_by(*RELATED_ORDER)
            .values_list("pk", flat=True)
        )

    def in_order(self, ids):
        """These stories in the order of ``ids``; those no longer here (unpublished, deleted) left out."""
        found = {story.pk: story for story in self.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

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

    def refresh_search_vectors(self):
        """Recompute the stored search vector of these stories in one UPDATE (PostgreSQL only).

        Headline weighs most (A), then the standfirst and the tags and section
        names (B), then the body (C). Called on every save, after tag changes
        in the admin, and by bulk loaders; on SQLite it does nothing, since
        ``search()`` falls back to substring matching there.
        """
        if connection.vendor != "postgresql":
            return 0
        TaggedArticle = self.model._meta.get_field("tagged_items").related_model
        Section = self.model._meta.get_field("section").related_model
        tag_names = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"))
            .values("content_object")
            .annotate(names=StringAgg("tag__name", " "))
            .values("names")
        )
        section_name = Section.objects.filter(pk=OuterRef("section_id")).values("name")
        vector = (
            SearchVector("headline", weight="A", config=SEARCH_CONFIG)
            + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
            + SearchVector(
                Coalesce(Subquery(tag_names), Value(""), output_field=models.TextField()),
                weight="B",
                config=SEARCH_CONFIG,
            )
            + SearchVector(
                Coalesce(Subquery(section_name), Value(""), output_field=models.TextField()),
                weight="B",
                config=SEARCH_CONFIG,
            )
            + SearchVector("body", weight="C", config=SEARCH_CONFIG)
        )
        return self.update(search_vector=vector)

    def search(self, terms):
        """Stories matching ``terms``, best first, newest first among equals.

        PostgreSQL: full-text search on the stored vector (GIN index), the
        reader's words parsed like a web search box (quotes, OR, -word), with
        highlighted snippets. SQLite: a plain substring match, so ``make run``
        works without PostgreSQL.
        """
        if connection.vendor != "postgresql":
            matches = Q(headline__icontains=terms) | Q(standfirst__icontains=terms) | Q(body__icontains=terms)
            return self.filter(matches).order_by("-published_at", "-pk")
        query = SearchQuery(terms, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet=SearchHeadline(
                    "body",
                    query,
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
                headline_marked=SearchHeadline(
                    "headline",
                    query,
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    highlight_all=True,
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )


def union_of_ids(querysets):
    """A ``pk__in`` value for the ids of several small, ordered and limited ``values("pk")`` querysets (one
    column each).

    Joined with UNION ALL, each part keeps its own index-ordered plan with
    its LIMIT; an OR of ``pk__in`` subqueries makes PostgreSQL test every
    row of the table instead.
    """
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part_{number}")  # noqa: S608 (SQL compiled by the ORM)
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611 (params kept apart)
