"""A reader's way through the site in a real browser: Debian's Chromium, driven by Playwright."""

import re

import pytest

from tests.factories import ArticleFactory, SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def newsroom(site):
    """Two sections; a Politics story with a tag it shares with a related story; a story to search for."""
    politics = SectionFactory(
        name="Politics", slug="politics", description="Power and the people in charge.", position=0
    )
    science = SectionFactory(name="Science", slug="science", description="Research and discovery.", position=1)
    reporter = UserFactory(username="mlindqvist", first_name="Maya", last_name="Lindqvist")
    story = ArticleFactory(
        section=politics,
        headline="Council Votes to Rebuild the Old Ferry Pier",
        slug="council-votes-to-rebuild-the-old-ferry-pier",
        tags=["Harbour"],
        authors=[reporter],
        image=jpeg_file(),
        image_alt="The old ferry pier at low tide",
    )
    related = ArticleFactory(
        section=politics,
        headline="Ferry Operators Welcome the Pier Plan",
        slug="ferry-operators-welcome-the-pier-plan",
        tags=["Harbour"],
    )
    searched = ArticleFactory(
        section=science,
        headline="Keepers Restore the Lighthouse Lamp After Forty Years",
        slug="keepers-restore-the-lighthouse-lamp",
    )
    return {"story": story, "related": related, "searched": searched}


def test_reader_goes_from_home_to_a_story_a_tag_a_related_story_and_search(site, page, newsroom):
    story, related, searched = newsroom["story"], newsroom["related"], newsroom["searched"]
    page.goto(site + "/")
    assert page.title()

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Politics").click()
    page.wait_for_url(f"{site}/politics/")
    assert page.get_by_role("heading", level=1).inner_text() == "Politics"

    page.get_by_role("link", name=story.headline).first.click()
    page.wait_for_url(site + story.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == story.headline

    page.get_by_role("list", name="Tags").get_by_role("link", name="Harbour").click()
    page.wait_for_url(f"{site}/tag/harbour/")
    assert page.get_by_role("heading", level=1).inner_text() == "Harbour"
    assert page.get_by_role("link", name=related.headline).count() == 1

    page.go_back()
    page.wait_for_url(site + story.get_absolute_url())
    related_block = page.locator("section.related")
    related_block.get_by_role("link", name=related.headline).first.click()
    page.wait_for_url(site + related.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == related.headline

    search_box = page.get_by_role("searchbox", name="Search stories").first
    search_box.fill("lighthouse")
    search_box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=lighthouse$"))
    result = page.locator(".results").get_by_role("link", name=searched.headline)
    assert result.count() == 1
    result.click()
    page.wait_for_url(site + searched.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == searched.headline


def focused_element(page):
    """What the keyboard is on, and whether it shows that it is: its computed outline."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"),
                text: (el.innerText || "").trim(), nav: el.closest("nav")?.getAttribute("aria-label") || null,
                outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
            };
        }"""
    )


def test_keyboard_reaches_search_menu_and_reply_form_with_a_visible_focus(site, page, newsroom):
    page.goto(site + newsroom["story"].get_absolute_url())
    wanted = {
        "search box": lambda el: el["id"] == "site-search-q",
        "section menu": lambda el: el["nav"] == "Sections" and el["text"].lower() == "politics",
        "reply form": lambda el: el["tag"] == "textarea" and el["name"] == "comment",
    }
    reached = {}
    for _ in range(150):
        page.keyboard.press("Tab")
        element = focused_element(page)
        for what, matches in wanted.items():
            if what not in reached and matches(element):
                reached[what] = element
        if len(reached) == len(wanted):
            break
    assert set(reached) == set(wanted), f"Tab never reached: {set(wanted) - set(reached)}"
    for what, element in reached.items():
        assert element["outlineStyle"] != "none" and element["outlineWidth"] > 0, f"no visible focus on the {what}"


@pytest.mark.parametrize("path", ["/", "/politics/", "story", "/tag/harbour/", "/search/?q=ferry"])
def test_pages_do_not_scroll_sideways_on_a_phone(site, page, newsroom, path):
    if path == "story":
        path = newsroom["story"].get_absolute_url()
    page.set_viewport_size(PHONE)
    page.goto(site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
