import factory

from comments.models import Comment
from tests.factories import ArticleFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A reply as a reader would leave it; approved unless told otherwise, so it shows on the page."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author = factory.Faker("name")
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    text = factory.Faker("paragraph")
    status = Comment.Status.APPROVED
    ip_address = "203.0.113.9"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
