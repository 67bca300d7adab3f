"""Browser tests: Debian's Chromium through Playwright against a live server of the test app.

Every page a test lands on goes through `browse.visit(path)` or, after a click that
loads a new page, `browse.landed()`: both run axe-core on it. At the end of each test
the fixture checks that no loaded page escaped axe and that the browser reported no
console error, no CSP violation, no uncaught exception and no server error.
"""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import ConsoleMessage, Page, Response
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
BROWSER_TESTS = Path(__file__).parent

# WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices (DESIGN.md: no violations).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(config, items):
    # Hooks in this conftest see the items of the whole session, not only this folder's.
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's options (--headed, --slowmo) plus Debian's Chromium."""
    if not os.access(CHROMIUM, os.X_OK):
        # Never skip: a suite that silently drops its browser tests looks green and is not.
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium; "
            "`make test` installs it when run as root). `playwright install` cannot be used here.",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # The machine has no network beyond the package registries: keep Chromium from
        # phoning home (refused connections, slow starts) and from needing a sandbox as root.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The session's test app served over HTTP on a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    # 127.0.0.1 works although the app fixture sets SERVER_NAME="localhost": since Flask 3.1
    # SERVER_NAME no longer restricts which Host a request may carry, and url_for inside a
    # request builds from the request's own host. The session cookie has no Domain either.
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright gives every context this base URL, so `page.goto("/")` works."""
    return live_server


@dataclass
class Browse:
    """Navigation helpers that check every page, and the problems the browser reported."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    checked: dict[float, str] = field(default_factory=dict)
    expected_errors: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"JS error: {error}"))
        self.page.on("response", self._on_response)
        # "load" fires once per new document in the main frame (not for #fragment jumps).
        self.page.on("load", lambda page: self.loaded.append(page.url))

    def visit(self, path: str, *, status: int = 200) -> Page:
        """Open `path`, expect `status`, run axe on the page."""
        if status >= 400:
            self.expected_errors.add(self._url(path))
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        self.check_a11y()
        return self.page

    def landed(self, path: str | None = None) -> Page:
        """After a click or form submission: wait for the new page, check its path, run axe."""
        self.page.wait_for_load_state()
        if path is not None:
            assert urlsplit(self.page.url).path == path, f"on {self.page.url}, expected {path}"
        self.check_a11y()
        return self.page

    def check_a11y(self) -> None:
        """Run axe-core on the current page; fail with a readable list of violations."""
        self.assert_no_problems()
        # page.evaluate runs through the DevTools protocol, which the page's CSP
        # (script-src 'self') does not govern, so axe needs no exception in the policy.
        self.page.evaluate(AXE_SCRIPT)
        results = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        self.checked[self.page.evaluate("performance.timeOrigin")] = self.page.url
        violations = results["violations"]
        if violations:
            pytest.fail(
                f"axe-core found {len(violations)} violation(s) on {self.page.url}:\n"
                + "\n".join(_describe(violation) for violation in violations),
                pytrace=False,
            )
        self.assert_no_problems()

    def assert_no_problems(self) -> None:
        if self.problems:
            pytest.fail(
                "The browser reported problems:\n" + "\n".join(f"  - {p}" for p in self.problems),
                pytrace=False,
            )

    def assert_every_page_checked(self) -> None:
        unchecked = len(self.loaded) - len(self.checked)
        assert unchecked <= 0, (
            f"{unchecked} page(s) loaded without an axe check; use browse.visit() or "
            f"browse.landed(). Loaded: {self.loaded}; checked: {list(self.checked.values())}"
        )

    def _url(self, path: str) -> str:
        return path if "://" in path else self.base_url + path

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs every 4xx resource as "Failed to load resource": expected for a page
        # visited with status=404, a problem anywhere else. CSP violations land here too.
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and url in self.expected_errors:
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status} for {response.url}")


def _describe(violation: dict) -> str:
    lines = [
        f"* {violation['id']} ({violation.get('impact')}): {violation['help']}",
        f"  {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:10]:
        lines.append(f"  - {', '.join(map(str, node['target']))}: {node['html'][:200]}")
        summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
        if summary:
            lines.append(f"      {summary}")
    if len(violation["nodes"]) > 10:
        lines.append(f"  … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def browse(page: Page, live_server: str, request: pytest.FixtureRequest) -> Iterator[Browse]:
    """Page helpers that run axe on every page and fail on browser-side problems."""
    helper = Browse(page, live_server)
    yield helper
    # pytest-playwright records each phase's report on the item; a test that already
    # failed needs no second error from here.
    outcome = getattr(request.node, "rep_call", None)
    if outcome is not None and outcome.passed:
        helper.assert_no_problems()
        helper.assert_every_page_checked()


# With scripting disabled Chromium runs no timers, and axe-core waits on setTimeout between
# its steps; page.evaluate itself still works. Timers become microtasks for axe's sake
# (the page's own scripts do not run anyway).
TIMERS_AS_MICROTASKS = """() => {
  window.setTimeout = (callback, _delay, ...args) => {
    Promise.resolve().then(() => callback(...args));
    return 0;
  };
  window.clearTimeout = () => {};
}"""


class ScriptlessBrowse(Browse):
    """Browse for a page whose context has JavaScript switched off."""

    def check_a11y(self) -> None:
        self.page.evaluate(TIMERS_AS_MICROTASKS)
        super().check_a11y()


@pytest.fixture
def browse_without_js(new_context, live_server, request) -> Iterator[ScriptlessBrowse]:
    """Like `browse` (axe on every page, no browser problems), in a context without JS."""
    context = new_context(java_script_enabled=False)
    helper = ScriptlessBrowse(context.new_page(), live_server)
    yield helper
    outcome = getattr(request.node, "rep_call", None)
    if outcome is not None and outcome.passed:
        helper.assert_no_problems()
        helper.assert_every_page_checked()


@pytest.fixture
def check_a11y(browse: Browse):
    """`check_a11y(page)`: axe-core on the page as it is now (for pages not opened by browse)."""

    def check(page: Page) -> None:
        assert page is browse.page, "check_a11y works on the test's `page`"
        browse.check_a11y()

    return check
