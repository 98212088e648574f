"""The reader's journey in real Chromium (issue #11): what stands out, the keyboard path, a phone.

Wide (1280 px) and on a phone (390 px): stated positions carry the eye, the first badge is a few
Tab presses away, no public page scrolls sideways, abbreviations are explained by text a tap or a
Tab reaches, and a cell's link can be copied.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_site_pages import MAIN_PAGES


def test_stated_positions_carry_the_eye_and_silence_recedes(page):
    page.goto("/")
    styles = page.evaluate(
        """() => Object.fromEntries(["for", "partly", "against", "none"].map(value => {
            const badge = document.querySelector(`table.grid .badge-${value}`);
            const style = getComputedStyle(badge);
            return [value, {weight: +style.fontWeight, size: parseFloat(style.fontSize),
                            background: style.backgroundColor, border: style.borderStyle,
                            text: badge.textContent.trim()}];
        }))"""
    )
    quiet = styles.pop("none")
    assert quiet["background"] == "rgba(0, 0, 0, 0)" and quiet["border"] == "dashed"
    assert quiet["text"] == "– ikke uttalt"  # the icon and the words stay: never colour alone
    for value, stated in styles.items():
        assert stated["weight"] >= 700 > quiet["weight"], value
        assert stated["size"] > quiet["size"], value
        assert stated["background"] != "rgba(0, 0, 0, 0)" and stated["border"] == "solid", value


def test_the_first_badge_is_a_few_tab_presses_away(page):
    page.goto("/")
    presses = 0
    page.keyboard.press("Tab")
    presses += 1
    expect(page.get_by_role("link", name="Hopp til innholdet")).to_be_focused()
    page.keyboard.press("Tab")
    presses += 1
    skip = page.get_by_role("link", name="Hopp til tabellen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # a skip link shows itself when it has focus
    page.keyboard.press("Enter")
    while not page.evaluate("document.activeElement.matches('a.cell-link')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 5, page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    assert presses <= 5
    first_cell = page.locator("table.grid tbody a.cell-link").first
    expect(first_cell).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#evidence-dialog")).to_be_visible()


def test_no_public_page_scrolls_sideways_on_a_phone(site, mobile_page):
    from tests.site.test_walk import public_urls

    urls = public_urls() + ["/en/", "/en/om/", "/en/tema/sproyterom/", "/?niva=county&niva=youth"]
    wide = {}
    for url in urls:
        mobile_page.goto(url)
        sizes = mobile_page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if sizes[0] > sizes[1]:
            wide[url] = sizes
    assert wide == {}


def test_the_topic_table_fits_its_card_and_the_chart_labels_stay_legible_on_a_phone(mobile_page):
    mobile_page.goto("/tema/sproyterom/")
    card = mobile_page.locator(".distribution").bounding_box()
    table = mobile_page.locator(".distribution-table").bounding_box()
    assert table["x"] >= card["x"] and table["x"] + table["width"] <= card["x"] + card["width"]
    smallest = mobile_page.evaluate(
        """() => Math.min(...[...document.querySelectorAll("svg.chart text")].map(
            text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a))"""
    )
    assert smallest >= 13.5, f"chart text drawn at {smallest:.1f}px"


def test_on_a_phone_the_filter_panel_does_not_hide_the_results(mobile_page):
    mobile_page.goto("/?standpunkt=sproyterom:for&niva=national")
    results = mobile_page.locator("#results .result-count")
    expect(results).to_be_in_viewport()  # a filtered page starts with the panel closed
    expect(mobile_page.locator("table.grid tbody tr")).to_have_count(1)
    # Open it, change the question and apply: the panel closes and the answer is in sight.
    mobile_page.get_by_text("Filtrer: partier, temaer, nivå og standpunkt").click()
    mobile_page.locator("#sf-sproyterom").select_option("")
    mobile_page.locator("#sf-avkriminalisering").select_option("avkriminalisering:for")
    mobile_page.get_by_role("button", name="Vis").click()
    expect(mobile_page).to_have_url(re.compile(r"\?standpunkt=avkriminalisering%3Afor&niva=national$"))
    expect(mobile_page.locator(".filter-panel")).not_to_have_attribute("open", "")
    expect(results).to_contain_text("Viser 4 organisasjoner")
    expect(results).to_be_in_viewport()


def test_the_filter_panel_stays_open_on_a_wide_screen(page):
    page.goto("/?standpunkt=sproyterom:for")
    expect(page.locator(".filter-panel")).to_have_attribute("open", "")


def test_abbreviations_are_explained_where_a_tap_or_the_keyboard_reaches(mobile_page):
    mobile_page.goto("/")
    legend = mobile_page.locator("p.abbreviations")
    legend.scroll_into_view_if_needed()
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("LAR = legemiddelassistert rehabilitering")
    expect(legend).to_contain_text("HAR = heroinassistert behandling")
    # A phone's card shows the column as "LAR"; tapping a cell opens the evidence, which spells it out.
    mobile_page.locator('a.cell-link[href="/parti/frp/tema/lar/"]').tap()
    dialog = mobile_page.locator("#evidence-dialog")
    expect(dialog.get_by_role("heading", level=1)).to_have_text(
        "Fremskrittspartiet om legemiddelassistert rehabilitering (LAR)"
    )


def test_a_cells_link_is_copied_with_one_button_and_the_copy_is_announced(new_page, site):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page.goto("/")
    page.locator('a.cell-link[href="/parti/frp/tema/har/"]').click()
    dialog = page.locator("#evidence-dialog")
    button = dialog.get_by_role("button", name="Kopier lenke")
    expect(button).to_be_visible()
    button.click()
    expect(dialog.get_by_role("status")).to_have_text("Lenken er kopiert.")
    assert page.evaluate("navigator.clipboard.readText()") == site.url_for("/parti/frp/tema/har/")


def test_without_javascript_the_cell_link_is_a_plain_link_and_no_dead_button_shows(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto("/parti/frp/tema/har/")
    expect(page.get_by_role("button", name="Kopier lenke")).to_be_hidden()
    link = page.get_by_role("link", name="Lenke til denne ruten")
    expect(link).to_have_attribute("href", site.url_for("/parti/frp/tema/har/"))


@pytest.mark.parametrize("path", [*MAIN_PAGES, "/parti/frp/tema/lar/", "/kilde/frp-narkotikaprogrammet/"])
def test_main_pages_have_no_axe_violations_on_a_phone(mobile_page, axe_check, path):
    mobile_page.goto(path)
    axe_check(mobile_page)


def test_reader_pages_are_valid_html(vnu_check_url):
    vnu_check_url("/kilde/frp-narkotikaprogrammet/", "/parti/frp/tema/lar/", "/om/", "/?tema=tvang")


def test_every_public_page_is_valid_html_in_both_languages(site, vnu_check_url):
    """The Nu checker over the whole walk (markup does not depend on the width), one Java run."""
    from tests.site.test_walk import public_urls

    urls = public_urls()
    vnu_check_url(*urls, *[f"/en{url}" for url in urls])
