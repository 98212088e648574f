"""The journalist's downloads and search in real Chromium: the XLSX from the grid, ø typed as o."""

import csv
import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect


def test_the_xlsx_downloaded_from_the_grid_is_the_grid_as_the_csv_has_it(page, tmp_path):
    page.goto("/")
    page.get_by_role("link", name="Fylkeslag").click()  # htmx swaps the grid and its export links
    expect(page).to_have_url(re.compile(r"niva=county"))
    link = page.get_by_role("link", name="Excel (XLSX)")
    expect(link).to_have_attribute("href", "/eksport.xlsx?niva=county")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "ruspolitikk.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert {row[header.index("organisation")] for row in body} == {"innlandet-venstre"}

    csv_href = page.get_by_role("link", name="CSV", exact=True).get_attribute("href")
    csv_text = page.request.get(csv_href).text()
    csv_rows = list(csv.reader(io.StringIO(csv_text)))
    assert list(header) == csv_rows[0]
    assert [["" if value is None else str(value) for value in row] for row in body] == csv_rows[1:]


def test_a_search_typed_without_o_slash_finds_injection_rooms_and_leads_to_the_cell(page, axe_check):
    page.goto("/sok/")
    page.get_by_label("Søkeord").fill("sproyterom")
    page.get_by_role("button", name="Søk").click()
    expect(page).to_have_url(re.compile(r"/sok/\?q=sproyterom"))
    hits = page.locator("li.hit")
    expect(hits.first).to_be_visible()
    red = hits.filter(has=page.locator('a[href="/parti/r/"]'))
    expect(red.locator("mark").first).to_have_text(re.compile("sprøyterom", re.IGNORECASE))
    cell_link = red.locator('a[href="/parti/r/tema/sproyterom/"]').first
    expect(cell_link).to_be_visible()
    topic = red.locator(".hit-topics li", has=page.locator('a[href="/parti/r/tema/sproyterom/"]'))
    expect(topic.locator(".badge")).to_have_class(re.compile(r"\bbadge-for\b"))
    expect(topic.locator(".badge")).to_contain_text(re.compile(r"\bfor\b", re.IGNORECASE))
    axe_check(page)
    cell_link.click()
    expect(page).to_have_url(re.compile(r"/parti/r/tema/sproyterom/$"))


def test_a_one_letter_search_is_answered_in_place(page):
    page.goto("/sok/")
    page.get_by_label("Søkeord").fill("a")
    page.get_by_role("button", name="Søk").click()
    expect(page.locator("#hits")).to_contain_text("Skriv minst to bokstaver")


def test_search_results_are_valid_and_fit_a_phone(mobile_page, axe_check, vnu_check_url):
    mobile_page.goto("/sok/?q=behandling")
    expect(mobile_page.locator(".hit-topics").first).to_be_visible()
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(mobile_page)
    vnu_check_url("/sok/?q=sproyterom", "/sok/?q=a", "/om/")


ALL_LEVELS = "niva=national&niva=county&niva=municipal&niva=youth"


def test_search_hits_come_a_page_at_a_time_and_the_page_links_keep_the_filters(
    page, axe_check, vnu_check_url
):
    page.goto(f"/sok/?q=behandling&{ALL_LEVELS}")
    expect(page.locator("li.hit")).to_have_count(20)
    expect(page.locator(".result-count")).to_contain_text(re.compile(r"Viser 1–20 av \d+ treff"))
    first_hit = page.locator("li.hit .hit-text").first.inner_text()
    page.get_by_role("navigation", name="Sider").get_by_role("link", name="Neste").click()  # htmx
    expect(page).to_have_url(re.compile(rf"/sok/\?q=behandling&{ALL_LEVELS}&side=2$"))
    expect(page.locator(".result-count")).to_contain_text(re.compile(r"Viser 21–\d+ av \d+ treff"))
    expect(page.locator("li.hit .hit-text").first).not_to_have_text(first_hit)
    expect(page.get_by_label("Søkeord")).to_have_value("behandling")  # only the hits were swapped
    axe_check(page)
    vnu_check_url(f"/sok/?q=behandling&{ALL_LEVELS}&side=2")


def test_without_javascript_search_page_links_are_plain_links(new_page):
    page = new_page(java_script_enabled=False)
    page.goto(f"/sok/?q=behandling&{ALL_LEVELS}")
    page.get_by_role("navigation", name="Sider").get_by_role("link", name="Neste").click()
    expect(page).to_have_url(re.compile(rf"/sok/\?q=behandling&{ALL_LEVELS}&side=2#hits$"))
    expect(page.locator(".result-count")).to_contain_text("Viser 21–")


def test_search_page_links_fit_a_phone(mobile_page):
    mobile_page.goto(f"/sok/?q=behandling&{ALL_LEVELS}&side=2")
    expect(mobile_page.get_by_role("navigation", name="Sider")).to_be_visible()
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390
