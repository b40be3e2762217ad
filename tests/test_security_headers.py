"""Headers every response carries, whether a view, the page cache or the static files answered."""

import pytest

from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SWITCHED_OFF = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "browsing-topics=()")


@pytest.fixture
def story():
    return ArticleFactory(section=SectionFactory(name="Politics", slug="politics"))


def test_permissions_policy_switches_off_what_no_page_uses_on_every_kind_of_response(client, story, admin_client):
    responses = {
        "article, rendered": client.get(story.get_absolute_url()),
        "article, from the cache": client.get(story.get_absolute_url()),
        "not found": client.get("/no-such-section/"),
        "static file": client.get("/static/css/site.css"),
        "health check": client.get("/healthz/"),
        "admin": admin_client.get("/admin/articles/article/"),
        "reply refused": client.post(f"/comments/{story.pk}/post/", {"comment": "hi"}),
    }
    assert responses["article, from the cache"]["X-Page-Cache"] == "hit"
    for name, response in responses.items():
        policy = response.get("Permissions-Policy", "")
        assert all(feature in policy for feature in SWITCHED_OFF), f"{name}: {policy!r}"
        assert "fullscreen" not in policy  # a reader may still make a picture or a clicked embed full screen
