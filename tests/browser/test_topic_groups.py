"""The topic page at scale in Chromium (issue 8): each stance group shows ten organisations and pages
through the rest; with htmx the page link swaps the group's list in place, without JavaScript it is
a plain link; at 390 px nothing scrolls sideways and axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from positions.views import TOPIC_GROUP_PER_PAGE
from ruspolitikk.synthetic.generate import generate


@pytest.fixture
def many(site):
    generate(seed=1, organisations=120, topics=12, statements=1500, replace=True)
    return site


def paged_group(page) -> str:
    """The value of a stance group that has a second page."""
    link = page.locator(".stance-group nav.pagination a[rel=next]").first
    return re.search(r"stilling=(\w+)", link.get_attribute("href"))[1]


def test_a_groups_next_page_swaps_in_place_with_htmx(page, many, axe_check):
    page.goto("/tema/lar/")
    value = paged_group(page)
    items = page.locator(f"#group-list-{value} li.stance-item")
    expect(items).to_have_count(TOPIC_GROUP_PER_PAGE)
    first = items.first.get_attribute("id")
    page.locator(f"#group-list-{value} nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(rf"stilling={value}&side=2"))
    expect(items.first).not_to_have_id(first)
    expect(page.locator(".distribution-table")).to_have_count(1)  # the rest of the page stayed
    expect(page.locator(f"#group-list-{value} [aria-current=page]")).to_have_text(re.compile("2"))
    axe_check(page)


def test_without_javascript_the_page_link_is_a_plain_link(new_page, many):
    page = new_page(java_script_enabled=False)
    page.goto("/tema/lar/")
    value = paged_group(page)
    page.locator(f"#group-list-{value} nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(rf"stilling={value}&side=2#group-{value}"))
    expect(page.locator(f"#group-list-{value} [aria-current=page]")).to_have_text(re.compile("2"))


def test_a_paged_topic_fits_a_phone_and_passes_axe(mobile_page, many, axe_check, vnu_check_url):
    mobile_page.goto("/tema/lar/")
    sizes = mobile_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes
    axe_check(mobile_page)
    value = paged_group(mobile_page)
    vnu_check_url("/tema/lar/", f"/tema/lar/?stilling={value}&side=2")
