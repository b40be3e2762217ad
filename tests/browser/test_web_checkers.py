"""The web's own checkers on every kind of reader page: the Nu Html Checker and axe-core.

Both come from npm, installed in ``audit/`` (``make test`` runs ``npm ci`` there),
with Java for the Nu checker; ``make audit`` runs the same checkers, and Lighthouse,
on a production-like server with the demo content. Missing tools skip these tests,
naming what to install (the ``axe_js`` and ``nu_checker`` fixtures in conftest.py);
``.ci/run`` sets NEWSROOM_REQUIRE_BROWSER=1, under which they fail instead, so CI
cannot go green without them.
"""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.conf import settings

from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, SectionFactory, UserFactory, jpeg_file

pytestmark = pytest.mark.browser

# The Nu checker's CSS validator predates container queries; everything else in our CSS it knows.
VNU_CSS_FILTER = ".*(container-type|@container).*"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def reader_pages():
    """A small newsroom with every kind of reader page filled; returns {page name: path}."""
    politics = SectionFactory(name="Politics", slug="politics", description="Power and the people in charge.")
    world = SectionFactory(name="World", slug="world", description="Beyond our shores.")
    reporter = UserFactory(username="lahmed", first_name="Leila", last_name="Ahmed")
    story = ArticleFactory(
        section=politics,
        headline="Iran Leader Rejects US Deal; Trump Hints at Military Action",
        slug="iran-leader-rejects-us-deal",
        standfirst="A flat refusal, and a warning in return.",
        body="<p>The supreme leader spoke on Saturday.</p><h2>Pressure</h2><blockquote><p>No talks.</p></blockquote>",
        tags=["Iran nuclear deal", "sanctions"],
        authors=[reporter],
        image=jpeg_file(),
        image_alt="A crowd in a square",
        image_caption="Supporters gather.",
        image_credit="Newsroom staff",
        is_lead=True,
    )
    for n in range(4):
        ArticleFactory(section=world, headline=f"Envoys meet on Iran, round {n}", tags=["sanctions"], image=jpeg_file())
    ArticleFactory(section=politics, headline="Council approves the harbour budget", authors=[reporter])
    first = CommentFactory(article=story, author="Grace Hopper", text="A first reply, with a link https://example.com")
    CommentFactory(article=story, parent=first, author="Alan Turing", text="A reply to the first.")
    return {
        "home": "/",
        "section": "/politics/",
        "article": story.get_absolute_url(),
        "tag": "/tag/sanctions/",
        "search": "/search/?q=iran",
        "related": f"{story.get_absolute_url()}related/",
        "not-found": "/no-such-section/no-such-story/",
    }


def vnu(nu_checker, *args):
    """vnu.jar's messages (it reports on stderr, as JSON) for files checked with ``args``."""
    result = subprocess.run(  # noqa: S603 (our own jar on our own files)
        [*nu_checker, "--errors-only", "--format", "json", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if not result.stderr.lstrip().startswith("{"):
        pytest.fail(f"vnu.jar did not report (exit {result.returncode}): {result.stderr[-2000:]}")
    return [
        {**message, "path": Path(unquote(urlparse(message["url"]).path)).resolve()}
        for message in json.loads(result.stderr)["messages"]
    ]


def nu_errors(nu_checker, html_by_name, tmp_path):
    """The Nu Html Checker's errors for each page, from one run of vnu.jar over all of them."""
    files = {}
    for name, html in html_by_name.items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    by_file = {path.resolve(): name for name, path in files.items()}
    errors = {name: [] for name in files}
    for message in vnu(nu_checker, *files.values()):
        errors[by_file[message["path"]]].append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def test_reader_pages_pass_the_nu_html_checker(nu_checker, client, tmp_path, db):
    pages = reader_pages()
    html = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == (404 if name == "not-found" else 200), path
        html[name] = response.content.decode()
    errors = nu_errors(nu_checker, html, tmp_path)
    found = {f"{name} {pages[name]}": messages for name, messages in errors.items() if messages}
    assert not found, "Nu Html Checker errors:\n" + json.dumps(found, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("width", [1280, 375])
def test_reader_pages_have_no_axe_violations(axe_js, site, page, width):
    axe_source = axe_js.read_text(encoding="utf-8")
    pages = reader_pages()
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for name, path in pages.items():
        page.goto(site + path)
        # Evaluated rather than added as a <script>, so the page keeps the Content-Security-Policy readers get.
        page.evaluate(axe_source)
        results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        for violation in results["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
            found.setdefault(f"{name} {path}", []).append(f"{violation['id']} ({violation['impact']}): {targets}")
    assert not found, f"axe-core violations at {width}px:\n" + json.dumps(found, indent=2)


def test_stylesheets_pass_the_nu_css_checker(nu_checker):
    """A stray brace or a misspelt property silently drops rules; the browser never says so."""
    sheets = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))
    errors = [
        f"{message['path'].name} line {message.get('lastLine')}: {message['message']}"
        for message in vnu(nu_checker, "--css", "--filterpattern", VNU_CSS_FILTER, *sheets)
    ]
    assert not errors, "Nu CSS checker errors:\n" + "\n".join(errors)
