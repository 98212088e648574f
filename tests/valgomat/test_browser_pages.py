"""The valgomat's ranking in pages in Chromium, on a synthetic set of many branches: with htmx the
page link swaps the ranking in place and keeps the address true, without JavaScript it is a plain
link; at 390 px nothing scrolls sideways, axe finds nothing and the Nu checker is clean."""

import re

import pytest
from playwright.sync_api import expect

from ruspolitikk.bench.render import valgomat_result_path
from ruspolitikk.synthetic.generate import generate


@pytest.fixture
def many(site):
    generate(seed=1, organisations=70, topics=10, statements=1500, replace=True)
    return site


def test_the_next_page_of_the_ranking_swaps_in_place_and_keeps_the_answers(page, many, axe_check):
    path = valgomat_result_path(all_levels=True)
    page.goto(path)
    results = page.locator(".valgomat-result")
    expect(results).to_have_count(20)
    first = results.first.locator("h3").inner_text()
    page.locator("#ranking nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"svar=.*viktig=.*niva=youth&side=2$"))
    expect(results.first.locator("h3")).not_to_have_text(first)
    expect(page.locator("#ranking [aria-current=page]")).to_have_text(re.compile("2"))
    expect(page.locator(".valgomat-options")).to_have_count(1)  # the rest of the page stayed
    expect(page.locator("#live-status")).to_have_text(re.compile(r"Viser 21–40 av \d+ organisasjoner"))
    # A quote is still one click away on the swapped-in page.
    results.first.locator("summary").click()
    results.first.locator(".answer-list a.cell-link").first.click()
    expect(page.locator("#evidence-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    axe_check(page)


def test_without_javascript_the_page_link_is_a_plain_link(new_page, many):
    page = new_page(java_script_enabled=False)
    page.goto(valgomat_result_path(all_levels=True))
    page.locator("#ranking nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"niva=youth&side=2#rangering$"))
    expect(page.locator("#ranking [aria-current=page]")).to_have_text(re.compile("2"))
    expect(page.locator(".valgomat-results")).to_have_attribute("start", "21")


def test_a_paged_ranking_fits_a_phone_and_passes_axe_and_the_nu_checker(
    mobile_page, many, axe_check, vnu_check_url
):
    path = valgomat_result_path(all_levels=True)
    mobile_page.goto(path + "&side=2")
    sizes = mobile_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes
    axe_check(mobile_page)
    vnu_check_url(path, path + "&side=2", "/en" + path + "&side=3")
