"""An organisation page's caps in Chromium (issue 8): the link past a topic's shown quotes leads to
all of them, a branch list pages in place with htmx and as plain links without JavaScript; the pages
pass axe and the Nu checker at 390 px without sideways scrolling."""

import re

from playwright.sync_api import expect

from positions import views


def fits(page) -> None:
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], sizes


def test_the_link_past_a_topics_shown_quotes_leads_to_all_of_them(
    mobile_page, site, axe_check, vnu_check_url
):
    mobile_page.goto("/parti/krf/")
    topic = mobile_page.locator("li.stance-item#behandling")
    expect(topic.locator("blockquote")).to_have_count(3)
    fits(mobile_page)
    axe_check(mobile_page)
    topic.get_by_role("link", name=re.compile("Vis alle 6 sitater")).click()
    expect(mobile_page).to_have_url(re.compile(r"/parti/krf/tema/behandling/$"))
    expect(mobile_page.locator("blockquote")).to_have_count(6)
    assert vnu_check_url("/parti/krf/", "/parti/v/lag/", "/parti/v/kilder/") == []


def test_a_branch_list_pages_in_place_with_htmx(mobile_page, site, axe_check, monkeypatch):
    monkeypatch.setattr(views, "BRANCHES_PER_PAGE", 1)  # the live server runs in this process
    mobile_page.goto("/parti/v/lag/")
    first = mobile_page.locator("#list-page li a").first.text_content()
    mobile_page.locator("#list-page nav.pagination a[rel=next]").click()
    expect(mobile_page).to_have_url(re.compile(r"side=2"))
    expect(mobile_page.locator("#list-page li a").first).not_to_have_text(first)
    expect(mobile_page.locator("#list-page [aria-current=page]")).to_have_text(re.compile("2"))
    expect(mobile_page.locator("h1")).to_have_count(1)  # the list was swapped, not the page nested
    fits(mobile_page)
    axe_check(mobile_page)


def test_without_javascript_the_branch_list_pages_by_plain_links(new_page, site, monkeypatch):
    monkeypatch.setattr(views, "BRANCHES_PER_PAGE", 1)
    page = new_page(java_script_enabled=False)
    page.goto("/parti/v/lag/")
    page.locator("#list-page nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/parti/v/lag/\?side=2#list-page$"))
    expect(page.locator(".shown-range")).to_have_text(re.compile("Viser 2–2 av 2"))
