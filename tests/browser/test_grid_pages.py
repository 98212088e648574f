"""The paginated grid in real Chromium: htmx swaps the page and keeps the address true, plain links
without JavaScript, accessible and valid, nothing scrolling sideways at 390 px."""

import re

from playwright.sync_api import expect

from tests.scale import make_scale_world


def grid_rows(page):
    return page.locator("table.grid tbody tr")


def test_the_next_page_is_swapped_in_with_the_filters_kept(site, page, axe_check, vnu_check_url):
    make_scale_world(organisations=120, topics=2)  # with the 9 real parties: 129 national
    page.goto("/?tema=t0")
    expect(grid_rows(page)).to_have_count(20)
    expect(page.locator(".result-count")).to_contain_text("Viser 1–20 av 129 organisasjoner")
    pages = page.get_by_role("navigation", name="Sider")
    pages.get_by_role("link", name="Neste").click()
    expect(page).to_have_url(re.compile(r"\?tema=t0&side=2$"))
    expect(page.locator(".result-count")).to_contain_text("Viser 21–40 av 129 organisasjoner")
    expect(grid_rows(page)).to_have_count(20)
    expect(pages.get_by_role("link", name="Side 2")).to_have_attribute("aria-current", "page")
    pages.get_by_role("link", name="Side 7").click()  # the last: 9 rows
    expect(page).to_have_url(re.compile(r"\?tema=t0&side=7$"))
    expect(grid_rows(page)).to_have_count(9)
    axe_check(page)
    page.reload()  # the pushed address is a real page
    expect(grid_rows(page)).to_have_count(9)
    vnu_check_url("/?tema=t0&side=2", "/en/?side=7")


def test_without_javascript_page_links_are_plain_links(site, new_page):
    make_scale_world(organisations=60, topics=1)
    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.get_by_role("navigation", name="Sider").get_by_role("link", name="Neste").click()
    expect(page).to_have_url(re.compile(r"/\?side=2#tabell$"))
    expect(grid_rows(page)).to_have_count(20)  # of 69 national parties: 60 made, 9 real


def test_page_links_wrap_at_390_px(site, mobile_page, axe_check):
    make_scale_world(organisations=600, topics=1)
    mobile_page.goto("/?side=6")
    expect(mobile_page.get_by_role("navigation", name="Sider")).to_be_visible()
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(mobile_page, include=".pagination")
