"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Without Chromium (or the playwright package) they are skipped, except on CI (the CI variable set), where
that is an error: CI installs Chromium. One Playwright (and its event loop) per test module, started and
stopped there, so that no other test runs with an event loop in its thread.
"""

import os
import shutil
from dataclasses import dataclass, field

import pytest

from tests.browser.chromium import ARGS, CHROMIUM

# The runs of tests/pages (founder, GP children, an LLM step, a hostile world), shared with these tests.
from tests.pages.conftest import (  # noqa: F401
    founder,
    gp,
    gpt,
    hostile_world,
    laporta,
    llm_step,
    mutate,
    run,
)

PASSWORD = "correct horse battery staple"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SEEDTRACE_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def chromium():
    missing = _missing()
    if missing and os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run on CI: {missing}")
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    # The sync API runs an event loop in this thread; Django refuses the ORM there unless told otherwise.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()


@dataclass
class Watched:
    """What a page did that it should not: dialogs opened (alert, confirm, …) and console errors, among
    them Content-Security-Policy violations."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [f"dialog: {d}" for d in self.dialogs] + [f"console: {e}" for e in self.errors]


class Tab:
    """A page in a fresh browser context, watched, with the live server's address."""

    def __init__(self, browser, base_url: str):
        self.context = browser.new_context(base_url=base_url)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.watched = Watched()
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.watched.errors.append(str(error)))

    def _dialog(self, dialog):
        self.watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error":
            self.watched.errors.append(message.text)

    def log_in_as(self, user) -> None:
        """A session for `user` (as if logged in through the form, which one test does for real)."""
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        self.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": self.base_url}])

    def open(self, path: str):
        return self.page.goto(path)

    def click_node(self, node_id) -> None:
        """Click a Cytoscape node where it is drawn (emitting 'tap' does not reach click handlers)."""
        x, y = self.node_position(node_id)
        self.page.mouse.click(x, y)

    def node_position(self, node_id) -> tuple[float, float]:
        point = self.page.evaluate(
            """(id) => {
                const node = window.seedtraceLineage.getElementById(id);
                const at = node.renderedPosition();
                const box = document.getElementById("cy").getBoundingClientRect();
                return [box.left + at.x, box.top + at.y];
            }""",
            str(node_id),
        )
        return point[0], point[1]

    def wait_for_lineage(self) -> None:
        self.page.wait_for_selector("body[data-lineage-ready]", state="attached")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(chromium, live_server):
    opened = Tab(chromium, live_server.url)
    yield opened
    opened.close()


@pytest.fixture
def second_tab(chromium, live_server):
    """Another browser context: another person (or an anonymous referee) beside the first."""
    opened = Tab(chromium, live_server.url)
    yield opened
    opened.close()
