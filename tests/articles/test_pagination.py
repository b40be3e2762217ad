from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.pagination import ListingPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def listing_count():
    return ListingPaginator(Article.objects.published(), 12, listing="everything").count


def test_listing_count_is_kept_until_a_story_is_published():
    ArticleFactory.create_batch(3)
    assert listing_count() == 3
    Article.objects.filter(pk=Article.objects.first().pk).delete()  # behind the models' back: the count is kept
    assert listing_count() == 3
    ArticleFactory()
    assert listing_count() == 3  # two left, and the new one


def test_listing_count_follows_a_scheduled_story_at_its_minute():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ArticleFactory.create_batch(2)
        ArticleFactory(published_at=timezone.now() + timedelta(seconds=10))
        assert listing_count() == 2
        clock.shift(timedelta(seconds=11))
        assert listing_count() == 3


def test_deep_page_holds_the_right_stories():
    stories = ArticleFactory.create_batch(30)  # the factory makes each older than the one before
    page = ListingPaginator(Article.objects.published().newest_first(), 12, listing="deep").page(3)
    assert list(page.object_list) == stories[24:]
    assert page.paginator.num_pages == 3
