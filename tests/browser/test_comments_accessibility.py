"""axe-core on the reply block in the states the plain article page never shows: errors, a reply, a held reply."""

import pytest

from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(autouse=True)
def quick_readers(settings):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


def axe_violations(page, axe_js):
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(
        "tags => axe.run({include: [['#comments']]}, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]


@pytest.mark.parametrize("our_script", [True, False])
def test_reply_block_states_have_no_axe_violations(axe_js, site, new_context, our_script):
    """Without our script stands in for JavaScript off: axe itself needs JavaScript to run."""
    story = ArticleFactory(headline="Harbour Wall Repairs Begin", slug="harbour-wall-repairs-begin")
    first = CommentFactory(article=story, author="Grace Hopper", url="https://grace.example")
    CommentFactory(article=story, parent=first, author="Alan Turing")
    page = new_context(bypass_csp=True).new_page()
    if not our_script:
        page.route("**/static/js/*.js", lambda route: route.abort())

    page.goto(f"{site}{story.get_absolute_url()}?replytocom={first.pk}")
    assert axe_violations(page, axe_js) == []

    page.fill("input[name=email]", "not-an-address")
    page.click("input[type=submit][value='Post Comment']")
    assert page.locator("#id_comment_error").is_visible()
    assert axe_violations(page, axe_js) == []

    page.fill("textarea[name=comment]", "Held for a moderator.")
    page.fill("input[name=author]", "Ada Lovelace")
    page.fill("input[name=email]", "ada@example.com")
    page.click("input[type=submit][value='Post Comment']")
    assert page.locator(".comment__held").is_visible()
    assert axe_violations(page, axe_js) == []
