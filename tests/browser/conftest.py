"""Shared Playwright fixtures: Debian's Chromium against Django's live server.

- ``browser``: one Chromium for the whole session (``/usr/bin/chromium``, never ``playwright install``).
- ``new_context(**options)``: a fresh browser context (its own cookies), closed after the test;
  ``new_context(javascript=False)`` is a reader with JavaScript turned off.
- ``page``: a page in a fresh context with JavaScript on; ``page_without_js``: the same with it off.
- ``site``: the live server's root URL, with the database's migration data (groups, permissions)
  restored before the test, since live-server tests run in committed transactions that get flushed.
- ``axe_js``: axe-core's script; ``nu_checker``: the command that runs the Nu Html Checker (vnu.jar).

What these need beyond the venv: Chromium and Java, which only root installs, and the audit tools'
npm packages, which ``make test`` installs itself when npm is there. Without them a test skips,
naming what to install; with ``NEWSROOM_REQUIRE_BROWSER=1`` (``.ci/run`` sets it) it fails instead,
so CI cannot go green with the browser tests skipped. ``missing()`` is that one rule.

Every test under ``tests/browser/`` gets the ``browser`` mark: ``pytest -m "not browser"`` skips them.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
HERE = Path(__file__).parent
NODE_MODULES = Path(settings.BASE_DIR) / "audit" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
REQUIRE = "NEWSROOM_REQUIRE_BROWSER"


def missing(what, install):
    """``what`` is not installed: skip, saying how to install it; fail instead when NEWSROOM_REQUIRE_BROWSER=1."""
    reason = f"{what} is missing: {install}"
    if os.environ.get(REQUIRE, "") not in ("", "0"):
        pytest.fail(f"{reason} ({REQUIRE} is set, so it must be there)", pytrace=False)
    pytest.skip(reason)


def npm_install():
    """How to get the audit tools' npm packages (``make test`` runs ``npm ci`` in audit/ when it finds npm)."""
    if shutil.which("npm"):
        return "run `make test` (or `cd audit && npm ci`)"
    return "apt-get install -y npm, then run `make test`"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"Chromium ({CHROMIUM})", "apt-get install -y chromium")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running on this thread. The ORM calls the tests make
    # beside it are ordinary synchronous ones, so Django's async-safety guard is lifted while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With a running loop, Django keeps its connections in context-local storage: the tests get new
    # connection objects, without the test database's serialized contents that serialized rollback
    # restores (the Moderators, Editors and Reporters groups, permissions). Hand those on.
    with django_db_blocker.unblock():
        serialized = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_js():
    """axe-core's script, from the audit tools' npm packages."""
    if not AXE_JS.exists():
        missing(f"axe-core ({AXE_JS})", npm_install())
    return AXE_JS


@pytest.fixture(scope="session")
def nu_checker():
    """The command that runs the Nu Html Checker: Java and vnu.jar, from the audit tools' npm packages."""
    java = shutil.which("java")
    if not java:
        missing("Java, for the Nu Html Checker,", "apt-get install -y default-jre-headless")
    if not VNU_JAR.exists():
        missing(f"The Nu Html Checker ({VNU_JAR})", npm_install())
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture
def new_context(browser):
    """Make browser contexts (separate readers); ``javascript=False`` turns scripts off."""
    contexts = []

    def make(javascript=True, **options):
        context = browser.new_context(java_script_enabled=javascript, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def page_without_js(new_context):
    return new_context(javascript=False).new_page()


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """The live server's URL (no trailing slash)."""
    return live_server.url
