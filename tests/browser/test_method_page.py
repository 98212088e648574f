"""/metode/ with the real codebook and agreement figures: accessible, valid HTML, anchors reachable."""

from playwright.sync_api import expect


def test_the_method_page_is_accessible_and_valid(page, axe_check, vnu_check_url):
    page.goto("/tema/avkriminalisering/")
    page.get_by_role("link", name="Kodebok for temaet").click()
    expect(page).to_have_url(page.url.split("#")[0] + "#kodebok-avkriminalisering")
    section = page.locator("#kodebok-avkriminalisering")
    expect(section).to_be_in_viewport()
    expect(section.get_by_role("link", name="Se ruten for Miljøpartiet De Grønne")).to_have_attribute(
        "href", "/parti/mdg/tema/avkriminalisering/"
    )
    expect(
        page.get_by_role("table", name="Enighet mellom to blinde kodinger, per tema og samlet")
    ).to_be_visible()
    axe_check(page)
    assert vnu_check_url("/metode/", "/en/metode/") == []


def test_the_method_page_at_390_px_does_not_scroll_sideways(mobile_page, axe_check):
    mobile_page.goto("/metode/")
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(mobile_page)
