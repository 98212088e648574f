"""The home page in a real browser: it loads, names itself, and its markup is valid HTML."""

import re

from playwright.sync_api import expect


def test_home_page_loads_with_a_title(page):
    response = page.goto("/")

    assert response is not None and response.status == 200
    expect(page).to_have_title(re.compile(r"\S"))


def test_home_page_is_valid_html(vnu_check_url):
    vnu_check_url("/")
