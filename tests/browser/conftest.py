"""Real-browser test harness: Debian's Chromium driven by Playwright, axe-core and the Nu checker.

The fixtures live in ``tests/browser/harness.py``, a plugin that tests/conftest.py loads for the
whole suite, so browser tests may sit beside the code they test (tests/admin/, tests/site/…):
just ask for the fixtures below, no imports needed. Every test in ``tests/browser/`` and every
test that uses a harness fixture anywhere is marked ``browser`` automatically. ``make test``
runs them in the SQLite leg; the PostgreSQL leg deselects them (``-m "not browser"``).

Prerequisites (``make test`` installs them): ``/usr/bin/chromium`` (or ``$CHROMIUM``), ``java``
(17+), and ``npm ci`` in ``tests/browser/`` for ``axe-core`` and ``vnu-jar``. When one is missing
the browser tests fail under ``CI=true`` or ``BROWSER_TESTS_REQUIRED=1`` (what ``make test``
sets) and are skipped, with the reason, everywhere else. Nothing is ever downloaded: never run
``playwright install``.

Fixtures
--------
``site``
    The live server (pytest-django's ``live_server``) with the committed fixtures loaded into its
    database. Function-scoped, because ``live_server`` needs ``transactional_db``, which empties
    the database after each test. ``site.url`` is the base URL; ``site.url_for("/tema/lar/")``
    an absolute URL.
``page``
    A fresh Playwright page (new browser context: locale nb-NO, 1280×800, ``base_url`` = the
    live server, so ``page.goto("/tema/lar/")`` works) per test, on ``site``. The site's own CSP
    stays in force. Console errors and uncaught page errors (a CSP violation, a failed htmx
    request, a JS exception; Chromium's own /favicon.ico request excepted) fail the test at
    teardown; mark a test
    ``@pytest.mark.allow_console_errors`` if it provokes them on purpose.
``mobile_page``
    The same at 390×844 with touch, for phone layouts.
``new_page(**context_options)``
    A factory for further pages/contexts in one test (e.g. ``locale="en-GB"``,
    ``java_script_enabled=False``); same console-error rule.
``axe_check(page, *, include=None, exclude=None)``
    Runs axe-core in the page as it is now (evaluated over the DevTools protocol, so the CSP does
    not block it and stays active for the page) with the tags wcag2a, wcag2aa, wcag21a, wcag21aa,
    and fails listing each violation's rule id, impact, help text, help URL and the CSS targets.
    ``include``/``exclude`` are CSS selectors to narrow the check. Returns axe's full result.
``vnu_check(documents)``
    Validates HTML with the W3C Nu checker in ONE Java run: ``documents`` is a string, a list of
    strings, or a dict ``{name: html}`` (names appear in failures). Fails on every message of type
    ``error`` (and on documents the checker could not read); warnings pass. Batch the pages of a
    test into one call: each Java start costs about two seconds.
``vnu_check_url(*paths_or_urls)``
    Fetches each page from the live server with a plain GET (no JavaScript, so the markup as
    served; headers may be given as ``headers={"HX-Request": "true"}`` to check a fragment's
    page) and validates them all with one ``vnu_check`` call. Needs ``site``.

Plain functions ``run_axe(page, ...)`` and ``run_vnu(documents)`` do the same without fixtures.

Example::

    def test_topic_page_is_accessible_and_valid(page, axe_check, vnu_check_url):
        page.goto("/tema/lar/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
        vnu_check_url("/tema/lar/")
"""
