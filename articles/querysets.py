"""QuerySet methods for articles: every reader query starts from ``published()``."""

from datetime import UTC, datetime, timedelta

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Case, Count, F, Func, OuterRef, Q, Subquery, Sum, Value, When
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
# How many of a story's closest stories a repair reads beyond those it asks for: they stand in for those that
# changed since the ranking was stored.
RANKING_RESERVE = 24
# The related-articles page lists this many at most: ten pages of the closest stories.
RELATED_PAGE_LIMIT = 120
# How many of its closest stories a story keeps ranked with it (``rank_related``): the related page's, and a reserve.
RELATED_STORED = RELATED_PAGE_LIMIT + RANKING_RESERVE
# Stories changed this long before a ranking was made count as changed since: one saved in a transaction
# that had not committed when the ranking was read is never missed.
RANKING_MARGIN = timedelta(minutes=10)
# A stored ranking older than this is not repaired but made again from scratch: what changed since
# (stories sharing its tags published or edited after it) would no longer be a few dozen.
RANKING_MAX_AGE = timedelta(days=7)
# What a stored ranking was made with; another size or rule makes every stored ranking stale.
RANKING_VERSION = f"1:{RELATED_STORED}"


def related_basis(article):
    """What a story's ranking of related stories rests on: its section and tags."""
    tag_ids = ".".join(str(pk) for pk in sorted(tag.pk for tag in article.tags.all()))
    return f"{article.section_id}:{tag_ids}"


def stored_ranking(article):
    """The story's stored ranking (``rank_related``) if it rests on the story's present section and tags and
    was made by this version of the rules, else None."""
    ranking = article.related_ranking or {}
    if ranking.get("version") == RANKING_VERSION and ranking.get("basis") == related_basis(article):
        return ranking
    return None


def _relatedness(article):
    """How close a story is to ``article``: the tags they share, and whether it is in the same section."""
    return {
        "shared_tags": Count("tagged_items", filter=Q(tagged_items__tag_id__in=[tag.pk for tag in article.tags.all()])),
        "same_section": Case(When(section_id=article.section_id, then=1), default=0),
    }


def _related_name(kind, article, limit):
    """What a ranking of ``article``'s related stories is kept under: its section and tags are part of it."""
    return f"{kind}:{article.pk}:{related_basis(article)}:{limit}"


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
        return self.select_related("section").prefetch_related("authors").defer("body", "related_ranking")

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
        return self.select_related("section").defer("body", "standfirst", "related_ranking")

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

        A list, not a QuerySet. The first render finds the closest stories
        (``closest``), and their ids are kept for the current generation of
        the pages (``pagecache.kept``): later renders read the stories by id.
        When they are fewer than ``limit``, the section's newest follow,
        through ``article_section_idx``. The article itself never appears.
        """
        ids, keep = kept(_related_name("related", article, limit))
        if keep:
            stories = self.closest(article, limit)
            keep([story.pk for story in stories], RELATED_CACHE_SECONDS)
        else:
            stories = self.in_order(ids)
        if len(stories) < limit:
            seen = [article.pk, *(story.pk for story in stories)]
            same_section = self.in_section(article.section_id).exclude(pk__in=seen).newest_first()
            stories += list(same_section[: limit - len(stories)])
        return stories

    def closest(self, article, limit):
        """The ``limit`` stories sharing the most tags with ``article``, then in its section, then the newest.

        Ranking them reads every tag link of the story's tags: on a large
        archive, the costliest query of the article page. So a story keeps
        its closest stories ranked with it when it is saved
        (``rank_related``), and here that ranking is repaired with the
        stories changed since (saved, retagged, published or come due): one
        query that ranks a few dozen candidates instead of thousands. When
        the ranking rests on other tags or another section than the story
        has now, when none is stored, or when more of it changed than it
        holds in reserve, or when it is over a week old, the full ranking is
        made instead. A repair reads only the head of the ranking it needs
        (``limit`` and RANKING_RESERVE more). Either way, the answer is the
        same, provided ``self`` is ``published()`` with nothing filtered out
        (the reserve, the head's unchanged stories, is counted among all
        published stories).
        """
        ranking = stored_ranking(article)
        since = datetime.fromtimestamp(ranking["since"], tz=UTC) if ranking else None
        if not ranking or limit > RELATED_STORED or since < timezone.now() - RANKING_MAX_AGE:
            return self._ranked_closest(article, limit)
        tag_ids = [tag.pk for tag in article.tags.all()]
        if not tag_ids:
            return []
        changed = self.model.objects.filter(
            Q(changed_at__gt=since) | Q(status=self.model.Status.PUBLISHED, published_at__gt=since),
            tagged_items__tag_id__in=tag_ids,
        )
        candidates = [changed.order_by().values("pk")]
        reserve = {}
        # The head of the ranking is enough: every story after it was beaten by all of it.
        ids = ranking["ids"][: limit + RANKING_RESERVE]
        if ids:
            stored = self.model.objects.filter(pk__in=ids).order_by()
            candidates.append(stored.values("pk"))
            # Those that cannot have moved since: still public, unchanged, not come due since.
            unchanged = stored.published().filter(changed_at__lte=since, published_at__lte=since)
            reserve["unchanged_stored"] = Subquery(unchanged.annotate(n=Func(F("pk"), function="COUNT")).values("n"))
        stories = list(
            self.filter(pk__in=union_of_ids(candidates))
            .exclude(pk=article.pk)
            .annotate(**_relatedness(article), **reserve)
            .filter(shared_tags__gt=0)
            .order_by(*RELATED_ORDER)[:limit]
        )
        # A story left out of the ranking's head was beaten by all of it; by enough still, unless too many moved.
        # (A ranking shorter than RELATED_STORED held every story sharing a tag; its head may still leave some out.)
        left_out = len(ids) < len(ranking["ids"]) or len(ranking["ids"]) >= RELATED_STORED
        if left_out and (not stories or stories[0].unchanged_stored < limit):
            return self._ranked_closest(article, limit)
        return stories

    def _ranked_closest(self, article, limit):
        """``closest`` from scratch: ranks bare ids in a subquery, then reads the ``limit`` closest whole."""
        closest = self.filter(pk__in=self.sharing_tags_with(article)[:limit])
        return list(closest.annotate(**_relatedness(article)).order_by(*RELATED_ORDER))

    def rank_related(self, pk, *, again=False):
        """Rank the closest stories of story ``pk`` and store them with it (``Article.related_ranking``).

        Called once a save of the story, or a change of its tags, is
        committed; ``closest`` repairs the ranking with what changed after.
        A save in the admin asks two or three times (the story, then its
        tags); once the story is ranked after its last change, on its
        section and tags, the others stop there, unless asked to rank
        ``again`` (``manage.py rank_related``, which freshens old rankings).
        """
        story = self.model.objects.prefetch_related("tags").filter(pk=pk).first()
        if story is None:
            return
        ranking = stored_ranking(story)
        if not again and ranking and ranking["since"] + RANKING_MARGIN.total_seconds() >= story.changed_at.timestamp():
            return
        since = timezone.now() - RANKING_MARGIN
        ids = list(self.model.objects.published().sharing_tags_with(story)[:RELATED_STORED])
        ranking = {"ids": ids, "basis": related_basis(story), "since": since.timestamp(), "version": RANKING_VERSION}
        self.model.objects.filter(pk=pk).update(related_ranking=ranking)

    def related_ids(self, article, limit):
        """The ids of what ``related_to`` would give, in its order; kept for the current generation.

        For the related-articles page, which shows a page of them at a time:
        it reads only the stories of the page shown (``in_order``), and none
        while its cards are kept. Ranked as ``closest`` ranks, from the story's
        stored ranking when it can be repaired.
        """
        ids, keep = kept(_related_name("related-ids", article, limit))
        if keep:
            ranked = self.prefetch_related(None)
            ids = [story.pk for story in ranked.only("pk").closest(article, limit)]
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
