"""A story keeps its closest stories ranked with it, and the ranking is repaired with what changed since.

``closest`` must give exactly what ranking from scratch (``_ranked_closest``)
gives, whatever happened to the archive after the ranking was stored.
"""

import random
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles import querysets
from articles.models import Article
from articles.querysets import RANKING_RESERVE, RELATED_PAGE_LIMIT, RELATED_STORED, ArticleQuerySet
from articles.views import RELATED_ON_ARTICLE
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

TAGS = ["budget", "courts", "elections", "housing", "schools", "transit"]
RANK_FROM_SCRATCH = ArticleQuerySet._ranked_closest
SHARING_TAGS_WITH = ArticleQuerySet.sharing_tags_with


def closest(story, limit=6):
    fresh = Article.objects.for_story_page().get(pk=story.pk)
    return [s.pk for s in Article.objects.published().for_headlines().closest(fresh, limit)]


def from_scratch(story, limit=6):
    fresh = Article.objects.for_story_page().get(pk=story.pk)
    return [s.pk for s in RANK_FROM_SCRATCH(Article.objects.published().for_headlines(), fresh, limit)]


@pytest.fixture
def fallbacks(monkeypatch):
    """How often ``closest`` had to rank from scratch."""
    calls = []

    def counting(self, article, limit):
        calls.append(article.pk)
        return RANK_FROM_SCRATCH(self, article, limit)

    monkeypatch.setattr(ArticleQuerySet, "_ranked_closest", counting)
    return calls


@pytest.fixture
def stored(monkeypatch):
    """``stored(n, reserve)``: stories keep their ``n`` closest stories ranked, and a repair reads ``reserve``
    more than it asks for, so that tests can exhaust a ranking's reserve with a few stories."""

    def keep(n, reserve=querysets.RANKING_RESERVE):
        monkeypatch.setattr(querysets, "RELATED_STORED", n)
        monkeypatch.setattr(querysets, "RANKING_RESERVE", reserve)
        monkeypatch.setattr(querysets, "RANKING_VERSION", f"test:{n}")

    return keep


def test_a_stored_ranking_holds_the_related_page_with_stories_in_reserve():
    assert RELATED_STORED > RELATED_PAGE_LIMIT > RELATED_ON_ARTICLE


def test_saving_a_story_stores_its_ranking_once_committed(django_capture_on_commit_callbacks):
    older = ArticleFactory(tags=["budget"], published_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(tags=["budget"])
    story.refresh_from_db()
    assert story.related_ranking["ids"] == [older.pk]


def test_article_page_with_a_stored_ranking_keeps_its_query_budget(
    client, settings, django_assert_max_num_queries, fallbacks
):
    settings.PAGE_CACHE_SECONDS = 0
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["budget", "courts"])
        for n in range(15):
            ArticleFactory(headline=f"Close story {n}", tags=["budget", "courts"][: 1 + n % 2])
        clock.shift(timedelta(hours=1))
        Article.objects.rank_related(story.pk)
        clock.shift(timedelta(hours=1))
        ArticleFactory(headline="Closest, published since", tags=["budget", "courts"], published_at=timezone.now())
        with django_assert_max_num_queries(9, info="as without a stored ranking: its repair is one query"):
            html = client.get(story.get_absolute_url()).content.decode()
    related = html.split("RELATED ARTICLES", 1)[1].split("</section>", 1)[0]
    assert related.count("<h3") == 6
    assert "Closest, published since" in related
    assert fallbacks == []


def test_stored_ranking_takes_in_stories_published_or_come_due_after_it(fallbacks):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["budget", "courts"])
        older = ArticleFactory(tags=["budget"], published_at=timezone.now() - timedelta(days=2))
        due_later = ArticleFactory(tags=["budget", "courts"], published_at=timezone.now() + timedelta(hours=3))
        clock.shift(timedelta(hours=1))
        Article.objects.rank_related(story.pk)
        assert Article.objects.get(pk=story.pk).related_ranking["ids"] == [older.pk]  # read from it, unchanged
        clock.shift(timedelta(hours=1))
        closer = ArticleFactory(tags=["budget", "courts"], published_at=timezone.now() - timedelta(days=30))
        scheduled = ArticleFactory(tags=["budget", "courts"], published_at=timezone.now() + timedelta(minutes=5))
        assert closest(story) == [closer.pk, older.pk]
        clock.shift(timedelta(minutes=6))
        assert closest(story) == [scheduled.pk, closer.pk, older.pk]
        clock.shift(timedelta(hours=1))  # due_later comes due, with no save since the ranking
        assert closest(story) == [due_later.pk, scheduled.pk, closer.pk, older.pk]
        closer.status = Article.Status.DRAFT
        closer.save()
        assert closest(story) == [due_later.pk, scheduled.pk, older.pk]
    assert fallbacks == []


def test_stored_ranking_over_a_week_old_or_of_another_version_is_not_repaired(fallbacks):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["budget"])
        other = ArticleFactory(tags=["budget"])
        clock.shift(timedelta(hours=1))
        Article.objects.rank_related(story.pk)
        assert closest(story) == [other.pk]
        assert fallbacks == []
        Article.objects.filter(pk=story.pk).update(related_ranking={**story_ranking(story), "version": "0:12"})
        assert closest(story) == [other.pk]
        assert fallbacks == [story.pk]
        Article.objects.rank_related(story.pk)
        clock.shift(timedelta(days=8))
        assert closest(story) == [other.pk]
        assert fallbacks == [story.pk, story.pk]


def test_a_save_with_its_tags_ranks_once(django_capture_on_commit_callbacks, monkeypatch):
    """The admin saves the story, then its tags, in one transaction: each asks for a ranking after the commit;
    the first ranks, on the new tags, and the others find it done. A later change ranks again."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["budget"])
        courts = ArticleFactory(tags=["courts"], published_at=timezone.now() - timedelta(hours=1))
        clock.shift(timedelta(hours=1))
        rankings = []
        monkeypatch.setattr(
            ArticleQuerySet,
            "sharing_tags_with",
            lambda self, article: rankings.append(article.pk) or SHARING_TAGS_WITH(self, article),
        )
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            story.headline = "Budget talks move to the courts"
            story.save()
            story.tags.set(["courts"])
        assert len(callbacks) >= 2
        assert rankings == [story.pk]
        assert story_ranking(story)["ids"] == [courts.pk]
        clock.shift(timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            story.tags.add("budget")
        assert rankings == [story.pk, story.pk]
        Article.objects.rank_related(story.pk)  # ranked since its last change
        assert rankings == [story.pk, story.pk]
        Article.objects.rank_related(story.pk, again=True)
        assert rankings == [story.pk, story.pk, story.pk]


def test_saving_only_some_fields_still_marks_the_story_changed():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory()
        clock.shift(timedelta(hours=1))
        story.status = Article.Status.DRAFT
        story.save(update_fields=["status"])
        assert Article.objects.get(pk=story.pk).changed_at == timezone.now()


def story_ranking(story):
    return Article.objects.get(pk=story.pk).related_ranking


def test_rank_related_command_ranks_the_stories_of_the_last_days_again():
    recent = ArticleFactory(tags=["budget"], published_at=timezone.now() - timedelta(days=2))
    old = ArticleFactory(tags=["budget"], published_at=timezone.now() - timedelta(days=40))
    out = StringIO()
    call_command("rank_related", "--days", "30", stdout=out)
    assert story_ranking(recent)["ids"] == [old.pk]
    assert story_ranking(old) is None
    assert "of 1 story published in the last 30 days" in out.getvalue()


def test_stored_ranking_runs_out_when_more_of_it_moved_than_it_holds_in_reserve(fallbacks, stored):
    """The stored twelve were the closest; seven of them lose a tag, so the story ranked thirteenth (never
    stored) now belongs in the top six: it is ranked from scratch rather than missed."""
    stored(12)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["budget", "courts"])
        day = timedelta(days=1)
        pairs = [ArticleFactory(tags=["budget", "courts"], published_at=timezone.now() - 2 * day) for _ in range(12)]
        thirteenth = ArticleFactory(tags=["budget"], published_at=timezone.now() - day)
        clock.shift(timedelta(hours=1))
        Article.objects.rank_related(story.pk)
        assert thirteenth.pk not in Article.objects.get(pk=story.pk).related_ranking["ids"]
        clock.shift(timedelta(hours=1))
        for moved in pairs[:7]:
            moved.tags.set(["budget"])
        expected = [*sorted((p.pk for p in pairs[7:]), reverse=True), thirteenth.pk]
        assert closest(story) == from_scratch(story) == expected
    assert fallbacks == [story.pk]


def test_repair_reads_the_head_of_a_ranking_and_ranks_from_scratch_when_the_head_ran_out(fallbacks, stored):
    """A ranking holding every story that shares a tag (shorter than RELATED_STORED) is read only as far as
    the repair needs; when the head it read changed, what lies after it may belong in: ranked from scratch."""
    stored(RELATED_STORED, reserve=1)  # the block of one reads the two closest
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["budget"])
        nearest = [ArticleFactory(tags=["budget"], published_at=timezone.now() - timedelta(hours=n)) for n in (1, 2)]
        third = ArticleFactory(tags=["budget"], published_at=timezone.now() - timedelta(hours=3))
        clock.shift(timedelta(hours=1))
        Article.objects.rank_related(story.pk)
        assert len(Article.objects.get(pk=story.pk).related_ranking["ids"]) == 3
        assert closest(story, 1) == [nearest[0].pk]
        assert fallbacks == []  # repaired from the head
        clock.shift(timedelta(hours=1))
        for moved in nearest:
            moved.tags.set(["courts"])
        assert closest(story, 1) == from_scratch(story, 1) == [third.pk]
        assert fallbacks == [story.pk]


def test_story_without_tags_has_no_closest_stories_with_or_without_a_stored_ranking(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    story = ArticleFactory(tags=[])
    same_section = ArticleFactory(section=story.section, tags=["budget"])
    assert closest(story) == from_scratch(story) == []
    Article.objects.rank_related(story.pk)
    assert closest(story) == []
    related = client.get(story.get_absolute_url()).content.decode().split("RELATED ARTICLES", 1)[1]
    assert same_section.headline in related.split("</section>", 1)[0]  # the section's newest fill the block


def test_stored_ranking_is_not_used_once_the_story_has_other_tags(fallbacks):
    story = ArticleFactory(tags=["budget"])
    Article.objects.rank_related(story.pk)
    story.tags.set(["courts"])
    courts = ArticleFactory(tags=["courts"])
    assert closest(story) == [courts.pk]
    assert fallbacks == [story.pk]


@pytest.mark.parametrize(
    ("kept", "reserve", "limits"),
    [(12, RANKING_RESERVE, (1, 3, 6, 12)), (RELATED_STORED, RANKING_RESERVE, (6, RELATED_PAGE_LIMIT))],
)
def test_stored_ranking_gives_what_ranking_from_scratch_gives_whatever_happens(
    fallbacks, django_capture_on_commit_callbacks, stored, kept, reserve, limits
):
    """Random publications, schedules, retagging, moves, unpublishing and deletions, an hour apart, each
    committed as in production (so a story saved or retagged ranks its own closest stories again).
    With twelve stored, rankings often run out of reserve; with the real numbers, the related page's limit is
    repaired too."""
    stored(kept, reserve)
    rng = random.Random(5)
    sections = [SectionFactory(name=f"Section {i}", slug=f"section-{i}") for i in range(2)]

    def new_story(hours_ago):
        return ArticleFactory(
            section=rng.choice(sections),
            tags=rng.sample(TAGS, rng.randint(1, 4)),
            published_at=timezone.now() - timedelta(hours=hours_ago),
        )

    def make(change, story):
        if change == "publish":
            stories.append(new_story(rng.randint(0, 900)))
        elif change == "schedule":
            stories.append(new_story(-rng.randint(1, 3)))  # comes due in a few hours, with no save
        elif change == "retag":
            story.tags.set(rng.sample(TAGS, rng.randint(1, 4)))
        elif change in ("move", "unpublish", "backdate"):
            if change == "move":
                story.section = rng.choice(sections)
            elif change == "unpublish":
                story.status = Article.Status.DRAFT
            else:
                story.published_at = timezone.now() - timedelta(hours=rng.randint(0, 900))
            story.save()
        else:
            stories.remove(story)
            story.delete()

    with time_machine.travel(timezone.now(), tick=False) as clock:
        stories = [new_story(rng.randint(1, 500)) for _ in range(40)]
        clock.shift(timedelta(hours=1))
        for story in stories:
            Article.objects.rank_related(story.pk)
        compared = 0
        for _ in range(60):
            clock.shift(rng.choice([timedelta(minutes=4), timedelta(hours=1)]))  # within the margin, and past it
            change = rng.choice(["publish", "schedule", "retag", "move", "unpublish", "backdate", "delete"])
            with django_capture_on_commit_callbacks(execute=True):
                make(change, rng.choice(stories))
            for reader_story in rng.sample(stories, 6):
                for limit in limits:
                    assert closest(reader_story, limit) == from_scratch(reader_story, limit), change
                    compared += 1
    # The stored rankings did the work most of the time; ranking from scratch was the exception.
    assert len(fallbacks) < compared / 3


def test_related_page_is_ranked_from_the_stored_ranking_as_from_scratch(fallbacks):
    """The related page's ids (``related_ids``): the closest stories, repaired from the stored ranking, then
    the section's newest."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["budget", "courts"])
        sharing = [
            ArticleFactory(tags=rng_tags, published_at=timezone.now() - timedelta(hours=n))
            for n, rng_tags in enumerate([["budget"], ["courts"], ["budget", "courts"]] * 5, start=1)
        ]
        untagged = ArticleFactory(section=story.section, tags=[], published_at=timezone.now() - timedelta(days=3))
        clock.shift(timedelta(hours=1))
        Article.objects.rank_related(story.pk)
        clock.shift(timedelta(hours=1))
        newcomer = ArticleFactory(tags=["budget", "courts"], published_at=timezone.now() - timedelta(minutes=1))
        sharing[0].tags.set(["budget", "courts"])
        fresh = Article.objects.for_story_page().get(pk=story.pk)
        ids = Article.objects.published().related_ids(fresh, RELATED_PAGE_LIMIT)
        assert fallbacks == []  # repaired, not ranked again
        assert ids == [*from_scratch(story, RELATED_PAGE_LIMIT), untagged.pk]
    assert ids[:2] == [newcomer.pk, sharing[0].pk]
