import pytest

from tests.factories import ArticleFactory, UserFactory


@pytest.fixture(autouse=True)
def quick_readers(settings):
    """Tests post the moment a page is rendered; the too-fresh rule has its own tests that turn it back on."""
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@example.com"]


@pytest.fixture
def story(db):
    return ArticleFactory(headline="Council approves the harbour budget", slug="harbour-budget")


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", role="Moderators")
