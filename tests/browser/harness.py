"""The real-browser test harness, loaded for the whole suite by tests/conftest.py.

Its API is documented in tests/browser/conftest.py.
"""

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import load_real_data

BROWSER_DIR = Path(__file__).resolve().parent
AXE_JS = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = BROWSER_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Playwright gives every launch a fresh temporary --user-data-dir of its own (and refuses the
    # flag in launch()), so no profile state carries over between runs.
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VNU_TIMEOUT_SECONDS = 120


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "allow_console_errors: the test provokes browser console errors on purpose"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark as ``browser`` (before -m deselects) every test under tests/browser/ and every test,
    wherever it lives, that uses a harness fixture (they all depend on browser_prerequisites)."""
    for item in items:
        in_browser_dir = BROWSER_DIR in Path(item.path).resolve().parents
        if in_browser_dir or "browser_prerequisites" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def browser_tests_required() -> bool:
    return any(
        os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}
        for name in ("CI", "BROWSER_TESTS_REQUIRED")
    )


def missing_prerequisites() -> list[str]:
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")
    if shutil.which("java") is None:
        missing.append("java on PATH (Java 17, for the Nu HTML checker)")
    for path in (AXE_JS, VNU_JAR):
        if not path.exists():
            missing.append(f"{path.relative_to(BROWSER_DIR.parent.parent)} (cd tests/browser && npm ci)")
    return missing


@pytest.fixture(scope="session")
def browser_prerequisites():
    missing = missing_prerequisites()
    if missing:
        message = "Browser tests cannot run; missing: " + "; ".join(missing)
        if browser_tests_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


# --- Browser and pages --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(browser_prerequisites):
    """One Chromium per test module.

    Module scope, not session: Playwright's sync API keeps an asyncio loop marked as running
    while it is started, which makes Django refuse database access from the test thread. It is
    allowed here (DJANGO_ALLOW_ASYNC_UNSAFE) only while Playwright runs, and Playwright stops at
    the end of the module, so later non-browser tests keep Django's normal safety check.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@dataclass(frozen=True)
class Site:
    url: str

    def url_for(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.url.rstrip("/") + "/" + path.lstrip("/")


@pytest.fixture
def site(live_server, browser_prerequisites) -> Site:
    """The live server with the real fixtures loaded (emptied again after the test)."""
    load_real_data()
    return Site(url=live_server.url)


class ConsoleWatcher:
    """Collects console errors and uncaught exceptions of the pages it is attached to."""

    def __init__(self):
        self.errors: list[str] = []

    def attach(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught {error}"))

    def _on_console(self, message):
        location = message.location or {}
        # Chromium asks for /favicon.ico on its own; a page without one is not a test failure.
        if message.type == "error" and not location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"{message.text} ({location.get('url', '')}:{location.get('lineNumber', '')})")


@pytest.fixture
def new_page(browser, site, request):
    """Factory: new_page(**context_options) -> a page in a fresh context on the live site."""
    contexts = []
    watcher = ConsoleWatcher()

    def make(**context_options):
        options = {"locale": "nb-NO", "viewport": {"width": 1280, "height": 800}, "base_url": site.url}
        options.update(context_options)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watcher.attach(page)
        return page

    yield make
    for context in contexts:
        context.close()
    if watcher.errors and not request.node.get_closest_marker("allow_console_errors"):
        pytest.fail("Browser console errors:\n  " + "\n  ".join(watcher.errors), pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def mobile_page(new_page):
    return new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)


# --- axe-core -----------------------------------------------------------------------------------

_axe_source: str | None = None


def run_axe(page, *, include: str | None = None, exclude: str | None = None, tags=AXE_TAGS) -> dict:
    """Run axe-core in ``page``; fail on any violation of ``tags``. Returns axe's results."""
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: the page's CSP does not apply to it.
        page.evaluate(_axe_source)
    context = {}
    if include:
        context["include"] = [include]
    if exclude:
        context["exclude"] = [exclude]
    results = page.evaluate(
        """async ([context, tags]) => axe.run(
            Object.keys(context).length ? context : document,
            {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]},
        )""",
        [context, list(tags)],
    )
    violations = results["violations"]
    if violations:
        lines = [f"axe-core found {len(violations)} WCAG violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"][:10]:
                target = " ".join(str(part) for part in node["target"])
                lines.append(f"    at {target}: {node.get('failureSummary', '').splitlines()[-1:]}")
            if len(violation["nodes"]) > 10:
                lines.append(f"    … and {len(violation['nodes']) - 10} more")
        pytest.fail("\n".join(lines), pytrace=False)
    return results


@pytest.fixture
def axe_check(browser_prerequisites):
    return run_axe


# --- W3C Nu HTML checker ------------------------------------------------------------------------


def _named_documents(documents) -> dict[str, str]:
    if isinstance(documents, str):
        return {"document": documents}
    if isinstance(documents, dict):
        return dict(documents)
    return {f"document-{index}": html for index, html in enumerate(documents, start=1)}


def run_vnu(documents) -> list[dict]:
    """Validate one or more HTML documents in one Nu checker run; fail on any error.

    Returns the checker's messages (warnings and info included) for further assertions.
    """
    named = _named_documents(documents)
    if not named:
        return []
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        files = {}
        for index, (name, html) in enumerate(named.items()):
            path = Path(tmp) / f"{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.as_uri().replace("file:///", "file:/")] = name
        command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
        completed = subprocess.run(
            [*command, *map(str, sorted(Path(tmp).iterdir()))],
            capture_output=True,
            text=True,
            timeout=VNU_TIMEOUT_SECONDS,
            check=False,
        )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        output = f"{completed.stdout}\n{completed.stderr}"
        pytest.fail(f"The Nu checker gave no JSON (exit {completed.returncode}):\n{output}", pytrace=False)
    failures = [m for m in messages if m.get("type") in {"error", "non-document-error"}]
    if failures:
        lines = [f"The Nu HTML checker found {len(failures)} error(s):"]
        for message in failures:
            name = files.get(message.get("url", ""), message.get("url", "?"))
            extract = message.get("extract", "").replace("\n", "⏎")
            lines.append(f"- {name}:{message.get('lastLine', '?')}: {message['message']}")
            if extract:
                lines.append(f"    {extract}")
        pytest.fail("\n".join(lines), pytrace=False)
    return messages


@pytest.fixture
def vnu_check(browser_prerequisites):
    return run_vnu


@pytest.fixture
def vnu_check_url(site):
    def check(*paths_or_urls: str, headers: dict[str, str] | None = None) -> list[dict]:
        documents = {}
        for target in paths_or_urls:
            url = site.url_for(target)
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (live server)
                documents[target] = response.read().decode("utf-8")
        return run_vnu(documents)

    return check
