from django.urls import reverse

from articles.addresses import address
from tests.factories import ArticleFactory, SectionFactory


def test_address_is_what_reverse_gives():
    assert address("articles:article", "world", "a-story") == reverse("articles:article", args=["world", "a-story"])
    assert address("articles:tag", "sao-paulo") == reverse("articles:tag", args=["sao-paulo"])


def test_story_address_follows_a_move_to_another_section(db):
    world = SectionFactory(name="World", slug="world")
    story = ArticleFactory(slug="summit-ends")
    assert story.get_absolute_url() == "/politics/summit-ends/"
    story.section = world
    story.save()
    assert story.get_absolute_url() == "/world/summit-ends/"


def test_address_follows_a_change_of_script_prefix(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/news/")
    try:
        assert address("articles:section", "world") == "/news/world/"
    finally:
        set_script_prefix("/")
    assert address("articles:section", "world") == "/world/"
