"""QuerySet methods for articles: every reader query starts from ``published()``."""

from datetime import timedelta

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from .pagecache import kept

SEARCH_CONFIG = "english"
# Highlight markers that cannot occur in text: the view turns them into <mark> after escaping.
MARK_START, MARK_STOP = "\x02", "\x03"


RELATED_ORDER = ("-shared_tags", "-same_section", "-published_at", "-pk")
# How long an unused ranking of related stories stays in the cache; a content change replaces it sooner.
RELATED_CACHE_SECONDS = 3600


def _relatedness(article):
    """How close a story is to ``article``: the tags they share, and whether it is in the same section."""
    return {
        "shared_tags": Count("tagged_items", filter=Q(tagged_items__tag_id__in=[tag.pk for tag in article.tags.all()])),
        "same_section": Case(When(section_id=article.section_id, then=1), default=0),
    }


def _related_name(kind, article, limit):
    """What a ranking of ``article``'s related stories is kept under: its section and tags are part of it."""
    tag_ids = ".".join(str(pk) for pk in sorted(tag.pk for tag in article.tags.all()))
    return f"{kind}:{article.pk}:{article.section_id}:{tag_ids}:{limit}"


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
        return self.select_related("section").defer("body", "standfirst")

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

    def sharing_tags_with(self, article):
        """Ids of the stories with at least one of ``article``'s tags: most shared first, then its section, newest.

        Reads only the tag links of those tags (index on ``TaggedArticle.tag``)
        and ranks bare ids: grouping whole rows costs twice as much on a big archive.
        """
        return (
            self.prefetch_related(None)
            .filter(tagged_items__tag_id__in=[tag.pk for tag in article.tags.all()])
            .exclude(pk=article.pk)
            .values("pk")
            .annotate(**_relatedness(article))
            .order_by(*RELATED_ORDER)
            .values_list("pk", flat=True)
        )

    def related_to(self, article, limit):
        """Up to ``limit`` related stories: those sharing the most tags, then the newest of its section.

        A list, not a QuerySet. The ranking reads every tag link of the story's
        tags: on a large archive it is the article page's costliest query, and
        its answer changes only with the site's content. So the first render
        ranks bare ids in a subquery and reads the closest stories whole
        (``limit`` rows at most), and the ranked ids are kept for the current
        generation of the pages (``pagecache.kept``): later renders read the
        stories by id. When they are fewer than ``limit``, the section's newest
        follow, through ``article_section_idx``. The article itself never appears.
        """
        ids, keep = kept(_related_name("related", article, limit))
        if keep:
            closest = self.filter(pk__in=self.sharing_tags_with(article)[:limit])
            stories = list(closest.annotate(**_relatedness(article)).order_by(*RELATED_ORDER))
            keep([story.pk for story in stories], RELATED_CACHE_SECONDS)
        else:
            stories = self.in_order(ids)
        if len(stories) < limit:
            seen = [article.pk, *(story.pk for story in stories)]
            same_section = self.in_section(article.section_id).exclude(pk__in=seen).newest_first()
            stories += list(same_section[: limit - len(stories)])
        return stories

    def related_ids(self, article, limit):
        """The ids of what ``related_to`` would give, in its order; kept for the current generation.

        For the related-articles page, which shows a page of them at a time:
        it reads only the stories of the page shown (``in_order``), and none
        while its cards are kept.
        """
        ids, keep = kept(_related_name("related-ids", article, limit))
        if keep:
            ranked = self.prefetch_related(None)
            ids = list(ranked.sharing_tags_with(article)[:limit])
            if len(ids) < limit:
                same_section = ranked.in_section(article.section_id).exclude(pk__in=[article.pk, *ids])
                ids += list(same_section.newest_first().values_list("pk", flat=True)[: limit - len(ids)])
            keep(ids, RELATED_CACHE_SECONDS)
        return ids

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
        from .models import Section, TaggedArticle

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
