import pytest

from articles.models import Article
from articles.pagination import ListingPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_deep_page_holds_the_right_stories():
    stories = ArticleFactory.create_batch(30)  # the factory makes each older than the one before
    page = ListingPaginator(Article.objects.published().newest_first(), 12).page(3)
    assert list(page.object_list) == stories[24:]
    assert page.paginator.num_pages == 3
