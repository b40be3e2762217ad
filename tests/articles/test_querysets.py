from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_published_includes_stories_whose_time_has_come():
    story = ArticleFactory(published_at=timezone.now() - timedelta(minutes=1))
    assert list(Article.objects.published()) == [story]


def test_published_excludes_drafts():
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert not Article.objects.published().exists()


def test_published_excludes_future_stories():
    ArticleFactory(published_at=timezone.now() + timedelta(minutes=1))
    assert not Article.objects.published().exists()
    assert Article.objects.scheduled().count() == 1


def test_scheduled_story_appears_when_the_clock_passes_its_minute():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(published_at=timezone.now() + timedelta(minutes=1))
        assert story not in Article.objects.published()
        clock.shift(timedelta(seconds=59))
        assert story not in Article.objects.published()
        clock.shift(timedelta(seconds=2))
        assert story in Article.objects.published()
        assert story.is_published


def test_publishing_without_a_time_stamps_now():
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
    assert story.published_at is not None
    assert story.published_at <= timezone.now()


def test_related_to_orders_by_shared_tags_then_section_then_newest():
    politics, world = SectionFactory(name="Politics", slug="politics"), SectionFactory(name="World", slug="world")
    story = ArticleFactory(section=politics, tags=["iran", "sanctions", "trump"])
    three_tags = ArticleFactory(
        section=world, tags=["iran", "sanctions", "trump"], published_at=timezone.now() - timedelta(days=9)
    )
    two_tags_same_section = ArticleFactory(
        section=politics, tags=["iran", "sanctions"], published_at=timezone.now() - timedelta(days=5)
    )
    two_tags_other_section = ArticleFactory(
        section=world, tags=["iran", "trump"], published_at=timezone.now() - timedelta(hours=1)
    )
    same_section_only_newer = ArticleFactory(section=politics, published_at=timezone.now() - timedelta(hours=2))
    same_section_only_older = ArticleFactory(section=politics, published_at=timezone.now() - timedelta(days=2))
    ArticleFactory(section=world, tags=["weather"])  # nothing in common
    ArticleFactory(section=politics, tags=["iran"], status=Article.Status.DRAFT, published_at=None)

    related = Article.objects.published().related_to(story, limit=10)

    assert related == [
        three_tags,
        two_tags_same_section,
        two_tags_other_section,
        same_section_only_newer,
        same_section_only_older,
    ]
    assert story not in related


def test_related_ids_rank_as_related_to_does_then_top_up_from_the_section():
    politics, world = SectionFactory(name="Politics", slug="politics"), SectionFactory(name="World", slug="world")
    story = ArticleFactory(section=politics, tags=["iran", "sanctions"])
    both = ArticleFactory(section=world, tags=["iran", "sanctions"], published_at=timezone.now() - timedelta(days=9))
    one = ArticleFactory(section=world, tags=["iran"], published_at=timezone.now() - timedelta(hours=1))
    section_only = ArticleFactory(section=politics, published_at=timezone.now() - timedelta(hours=2))
    ArticleFactory(section=world, tags=["weather"])
    ArticleFactory(section=politics, tags=["iran"], status=Article.Status.DRAFT, published_at=None)

    ids = Article.objects.published().related_ids(story, limit=10)

    assert ids == [both.pk, one.pk, section_only.pk]
    assert [s.pk for s in Article.objects.published().related_to(story, limit=10)] == ids


def test_in_order_keeps_the_order_given_and_leaves_out_what_is_no_longer_public():
    first, second, third = ArticleFactory.create_batch(3)
    assert Article.objects.published().in_order([third.pk, first.pk, second.pk]) == [third, first, second]
    second.status = Article.Status.DRAFT
    second.save()
    third.delete()
    assert Article.objects.published().in_order([third.pk, first.pk, second.pk]) == [first]


def test_related_to_drops_a_withdrawn_story_at_once_and_takes_in_new_ones_when_ranked_again():
    story = ArticleFactory(tags=["iran", "sanctions"])
    older = ArticleFactory(tags=["iran"], published_at=timezone.now() - timedelta(days=3))
    assert Article.objects.published().related_to(story, limit=1) == [older]
    closer = ArticleFactory(tags=["iran", "sanctions"], published_at=timezone.now() - timedelta(days=5))
    assert Article.objects.published().related_to(story, limit=1) == [older]  # its ranking is kept
    cache.clear()  # the ranking's time is up (PAGE_CACHE_SECONDS)
    assert Article.objects.published().related_to(story, limit=1) == [closer]
    closer.status = Article.Status.DRAFT
    closer.save()
    assert Article.objects.published().related_to(story, limit=1) == []  # gone at once, before any re-ranking
    cache.clear()
    assert Article.objects.published().related_to(story, limit=1) == [older]


def test_related_to_ranks_again_when_the_story_is_saved():
    story = ArticleFactory(tags=["iran"])
    assert Article.objects.published().related_to(story, limit=3) == []
    newcomer = ArticleFactory(tags=["iran"])
    story.save()
    assert Article.objects.published().related_to(story, limit=3) == [newcomer]


def test_related_to_shows_a_scheduled_story_once_its_minute_has_come_and_the_ranking_is_renewed():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = ArticleFactory(tags=["iran"])
        scheduled = ArticleFactory(tags=["iran"], published_at=timezone.now() + timedelta(minutes=5))
        assert Article.objects.published().related_to(story, limit=3) == []
        clock.shift(timedelta(minutes=6))
        cache.clear()
        assert Article.objects.published().related_to(story, limit=3) == [scheduled]


def test_related_to_follows_a_change_of_the_story_own_tags():
    story = ArticleFactory(tags=["iran"])
    iran, weather = ArticleFactory(tags=["iran"]), ArticleFactory(tags=["weather"], section=SectionFactory())
    assert Article.objects.published().related_to(story, limit=1) == [iran]
    story.tags.set(["weather"])
    story.save()
    story = Article.objects.prefetch_related("tags").get(pk=story.pk)
    assert Article.objects.published().related_to(story, limit=1) == [weather]


def test_most_popular_ranks_by_reads_of_the_last_week():
    from articles.models import DailyViews

    quiet, busy, old_hit = ArticleFactory.create_batch(3)
    today = timezone.localdate()
    DailyViews.objects.create(article=quiet, day=today, count=3)
    DailyViews.objects.create(article=busy, day=today, count=5)
    DailyViews.objects.create(article=busy, day=today - timedelta(days=6), count=5)
    DailyViews.objects.create(article=old_hit, day=today - timedelta(days=7), count=500)

    assert list(Article.objects.published().most_popular(days=7)) == [busy, quiet]
