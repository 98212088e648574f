"""The comparison grid in real Chromium: filtering through htmx, the evidence panel by keyboard."""

import csv
import re

from playwright.sync_api import expect


def grid_rows(page):
    return page.locator("table.grid tbody tr")


def test_grid_loads_with_every_national_party(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hva mener partiene om ruspolitikk?")
    expect(grid_rows(page)).to_have_count(9)
    expect(page.locator("table.grid thead tr:last-child th")).to_have_count(15)  # not the groups


def test_the_journalists_question_is_answered_with_one_filter_and_exported(page):
    """For injection rooms and against coercion: the answer is a county branch, found at every level."""
    page.goto("/")
    page.get_by_text("Filtrer: partier, temaer, nivå og standpunkt").click()
    page.get_by_label("Sprøyterom", exact=True).select_option("sproyterom:for")
    expect(page).to_have_url(re.compile(r"standpunkt=sproyterom%3Afor"))
    expect(grid_rows(page)).to_have_count(3)  # Rødt, and two Venstre branches
    page.get_by_label("Tvang", exact=True).select_option("tvang:against")
    # The filters are in the grid's topic order: coercion (treatment) before injection rooms.
    expect(page).to_have_url(re.compile(r"standpunkt=tvang%3Aagainst&standpunkt=sproyterom%3Afor"))
    expect(grid_rows(page)).to_have_count(1)
    expect(grid_rows(page).first.get_by_role("rowheader")).to_contain_text("Innlandet Venstre")
    expect(grid_rows(page).first.get_by_role("rowheader")).to_contain_text("fylkeslag")
    expect(page.locator("#live-status")).to_contain_text("Viser 1 organisasjon")
    expect(page.locator("#live-status")).to_contain_text(
        "Søkt på alle nivåer: nasjonale partier, fylkeslag, lokallag og ungdomspartier."
    )
    # The level tabs, outside the swapped region, follow: "Alle nivåer" is current and keeps the filter.
    tabs = page.get_by_role("navigation", name="Nivå")
    expect(tabs.get_by_role("link", name="Alle nivåer")).to_have_attribute("aria-current", "page")
    expect(tabs.get_by_role("link", name="Nasjonalt")).not_to_have_attribute("aria-current", "page")
    # The CSV export link gives the same rows.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.DictReader(exported))
    assert rows and {row["organisation"] for row in rows} == {"innlandet-venstre"}
    # Choosing the national level says where else the answer is, one click away.
    tabs.get_by_role("link", name="Nasjonalt").click()
    expect(grid_rows(page)).to_have_count(0)
    expect(page.locator(".result-count")).to_contain_text("1 organisasjon på andre nivåer passer også.")
    page.get_by_role("link", name="Vis treff på alle nivåer").click()
    expect(grid_rows(page)).to_have_count(1)
    # The pushed URL is a real page: reloading it shows the same result.
    page.reload()
    expect(grid_rows(page).first.get_by_role("rowheader")).to_contain_text("Innlandet Venstre")


def test_ticking_a_level_with_htmx_moves_the_current_tab(page, axe_check):
    page.goto("/")
    page.get_by_text("Filtrer: partier, temaer, nivå og standpunkt").click()
    page.get_by_role("checkbox", name="Fylkeslag", exact=True).check()
    expect(page).to_have_url(re.compile(r"niva=county"))
    tabs = page.get_by_role("navigation", name="Nivå")
    expect(tabs.get_by_role("link", name="Fylkeslag")).to_have_attribute("aria-current", "page")
    expect(tabs.get_by_role("link", name="Nasjonalt")).not_to_have_attribute("aria-current", "page")
    axe_check(page)


def test_level_links_switch_to_branches(page):
    page.goto("/")
    page.get_by_role("link", name="Fylkeslag").click()
    expect(page).to_have_url(re.compile(r"niva=county"))
    expect(grid_rows(page)).to_have_count(1)
    expect(grid_rows(page).first).to_contain_text("Innlandet Venstre")


def test_evidence_panel_opens_by_keyboard_and_returns_focus(page):
    page.goto("/")
    link = page.locator('a.cell-link[href="/parti/frp/tema/har/"]')
    link.focus()
    expect(page.locator("#" + link.get_attribute("aria-describedby"))).to_be_visible()  # summary on focus
    page.keyboard.press("Enter")
    dialog = page.locator("#evidence-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", level=1)).to_contain_text("Fremskrittspartiet om heroinassistert")
    expect(dialog.locator("#evidence-title")).to_be_focused()
    expect(dialog.locator("blockquote")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/$"))  # we did not leave the page
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()


def test_evidence_panel_closes_with_its_button(page, axe_check):
    page.goto("/")
    link = page.locator('a.cell-link[href="/parti/ap/tema/avkriminalisering/"]')
    link.click()
    dialog = page.locator("#evidence-dialog")
    expect(dialog).to_be_visible()
    axe_check(page)
    dialog.get_by_role("button", name="Lukk").click()
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()


def test_grid_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.get_by_text("Filtrer: partier, temaer, nivå og standpunkt").click()
    page.get_by_label("Sprøyterom", exact=True).select_option("sproyterom:for")
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(re.compile(r"standpunkt=sproyterom%3Afor"))
    expect(grid_rows(page)).to_have_count(3)  # every level: Rødt and two Venstre branches
    page.locator('a.cell-link[href="/parti/r/tema/sproyterom/"]').click()
    expect(page).to_have_url(re.compile(r"/parti/r/tema/sproyterom/$"))
    expect(page.locator("blockquote").first).to_be_visible()


def test_grid_is_accessible_wide_and_on_a_phone(page, mobile_page, axe_check):
    page.goto("/")
    page.get_by_text("Filtrer: partier, temaer, nivå og standpunkt").click()
    axe_check(page)
    mobile_page.goto("/")
    expect(mobile_page.locator("table.grid thead")).not_to_be_in_viewport()
    box = mobile_page.locator("table.grid tbody tr").first.bounding_box()
    assert box["width"] <= 390
    axe_check(mobile_page)
