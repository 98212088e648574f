"""The home page in a real browser: it loads, names itself, passes axe-core and the Nu checker."""

import re

from playwright.sync_api import expect


def test_home_page_loads_with_a_title_and_a_main_heading(page):
    response = page.goto("/")

    assert response is not None and response.status == 200
    expect(page).to_have_title(re.compile(r"\S"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_home_page_has_no_wcag_2_1_a_or_aa_violations(page, axe_check):
    page.goto("/")

    axe_check(page)


def test_home_page_is_valid_html(vnu_check_url):
    vnu_check_url("/")
