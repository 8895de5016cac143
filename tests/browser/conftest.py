"""Real-browser tests: Debian's Chromium, driven by Playwright, against one live server.

No test downloads a browser. Without Chromium the browser tests are skipped
with a message saying how to get it.
"""

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from pytest_django.live_server_helper import LiveServer

from embedded.content import load, registry

# Playwright's sync API runs an asyncio event loop in the main thread, and Django
# then refuses database access "from an async context". The tests touch the
# database only between browser calls, never concurrently with them, so the
# guard has nothing to protect here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_executable():
    if CHROMIUM_PATH.exists():
        return str(CHROMIUM_PATH)
    return shutil.which("chromium")


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config, items):
    """Skips browser tests without Chromium; runs transactional tests last.

    A reader's browser test reads the shipped content that the session's
    database holds (committed once, by the root conftest) and changes nothing
    a page shows, so it needs no database of its own and costs no set-up. A
    transactional test (an editor's day) empties the database when it ends,
    so it must come after them.
    """
    if not chromium_executable():
        skip = pytest.mark.skip(
            reason=f"Chromium not found at {CHROMIUM_PATH}: browser tests skipped "
            "(apt-get install chromium)"
        )
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)
    items.sort(key=_is_transactional)
    if items and not any(_uses_the_database(item) for item in items):
        # pytest-django creates the test database only for a session in which some test
        # asks for one; a session of reader tests alone would otherwise read (and load
        # content into) the development database. The last test asks, as an editor's
        # day does: the database is then emptied after it, and nothing runs after it.
        items[-1].add_marker(pytest.mark.django_db(transaction=True))


def _uses_the_database(item):
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db") or fixtures & {"db", "transactional_db", "live_server"}
    )


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in getattr(item, "fixturenames", ())
    )


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; each test gets its own context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(django_db_setup, browser):
    """The site, served on a free port for the whole session, over the test database.

    It starts after the browser: Django keeps database connections per thread,
    but per async context once an event loop runs in the thread, as Playwright's
    sync API makes one do; an in-memory SQLite database is shared with the server
    through the connection the tests use from then on.
    """
    server = LiveServer("localhost")
    yield server.url
    server.stop()


@pytest.fixture(autouse=True)
def shipped_content(django_db_setup, django_db_blocker):
    """The database open to the site's server for the test, holding the shipped content.

    It is there from the session's start; only a transactional test, which
    empties the database when it ends, makes a later one load it again.
    """
    with django_db_blocker.unblock():
        if not any(kind.model.objects.exists() for kind in registry.kinds):
            load(settings.CONTENT_DIR)
        yield


ASSET_TYPES = {"stylesheet", "image", "font", "script"}


class BrowserTab:
    """A page in its own browser context, recording Content Security Policy violations
    and stylesheets, images, fonts or scripts that failed to load."""

    def __init__(self, context, base_url):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.csp_violations = []
        self.broken_assets = []
        self.page.on("console", self._on_console)
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def _on_response(self, response):
        if response.request.resource_type in ASSET_TYPES and response.status >= 400:
            self.broken_assets.append(f"{response.url} answered {response.status}")

    def _on_request_failed(self, request):
        if request.resource_type in ASSET_TYPES:
            self.broken_assets.append(f"{request.url} failed: {request.failure}")

    def open(self, path):
        """Opens a site path and returns the HTTP response."""
        return self.page.goto(self.base_url + path)

    def start_over(self):
        """As a new tab would be for the next test: no cookies, nothing recorded, on screen."""
        self.context.clear_cookies()
        self.page.emulate_media(media="null")
        self.csp_violations.clear()
        self.broken_assets.clear()


@pytest.fixture(scope="session")
def kept_tabs():
    """Tabs kept open for the session, one for each set of context options."""
    tabs = {}
    yield tabs
    for tab in tabs.values():
        tab.context.close()


@pytest.fixture
def new_tab(browser, site, kept_tabs):
    """Makes tabs with the given context options (viewport, JavaScript off...).

    A new browser context costs more than reading a page in it and checking it with axe
    (a fresh renderer compiles axe again), so the first tab a test asks for with given
    options is one kept for the session and started over (`BrowserTab.start_over`; the
    site keeps nothing in the browser but cookies). Each further tab in the same test has
    a context of its own, closed after the test: a second person, with cookies of their own.
    """
    given, contexts = set(), []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        key = repr(sorted(options.items()))
        if key not in given:
            given.add(key)
            if key not in kept_tabs:
                kept_tabs[key] = BrowserTab(browser.new_context(**options), site)
            kept_tabs[key].start_over()
            return kept_tabs[key]
        context = browser.new_context(**options)
        contexts.append(context)
        return BrowserTab(context, site)

    yield make
    for key in given:
        # Nothing left loading asks the site for more while other tests run.
        kept_tabs[key].page.goto("about:blank")
    for context in contexts:
        context.close()


@pytest.fixture
def tab(new_tab):
    return new_tab()


@cache
def axe_source():
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page):
    """Runs axe-core's WCAG 2.2 A and AA rules on the page as it stands.

    The script is evaluated over the DevTools protocol, which the page's strict
    Content Security Policy does not govern, so the site's own policy stays on.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((node) => node.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )


def describe_violations(violations):
    """One readable block per rule broken: id, impact, what it means and where."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    at {target}" for target in violation["targets"]]
    return "\n".join(lines)
