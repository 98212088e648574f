"""A paged source text in Chromium (issue 8): with htmx the next page swaps the text in place and the
address follows; the page passes axe at 390 px without sideways scrolling."""

import re

from django.db.models import Count
from playwright.sync_api import expect

from positions import views
from positions.models import Source


def test_the_next_page_of_a_source_swaps_its_text(mobile_page, site, axe_check, monkeypatch):
    monkeypatch.setattr(views, "SOURCE_STATEMENTS_PER_PAGE", 4)  # the live server runs in this process
    source = Source.objects.annotate(n=Count("statements")).order_by("-n", "pk").first()
    mobile_page.goto(f"/kilde/{source.slug}/")
    first = mobile_page.locator(".source-text .stmt").first.get_attribute("id")
    mobile_page.locator("#source-page nav.pagination a[rel=next]").click()
    expect(mobile_page).to_have_url(re.compile(r"side=2"))
    expect(mobile_page.locator(".source-text .stmt").first).not_to_have_id(first)
    expect(mobile_page.locator("#source-page [aria-current=page]")).to_have_text(re.compile("2"))
    expect(mobile_page.locator("h1")).to_have_count(1)  # the text was swapped, not the page nested
    sizes = mobile_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes
    axe_check(mobile_page)
