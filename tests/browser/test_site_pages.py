"""The other public pages in real Chromium: compare, search, language, accessibility, valid HTML."""

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

MAIN_PAGES = [
    "/",
    "/?niva=county",
    "/parti/v/",
    "/parti/horten-venstre/",
    "/parti/frp/tema/har/",
    "/tema/sproyterom/",
    "/kilde/v-rusomsorg/",
    "/sammenlign/?parti=ap&parti=frp",
    "/sok/?q=spr%C3%B8yterom",
    "/om/",
    "/metode/",
]


def test_compare_two_parties(page):
    page.goto("/sammenlign/")
    page.get_by_label("Rødt").check()
    page.get_by_label("Fremskrittspartiet").check()
    page.get_by_role("button", name="Sammenlign", exact=True).click()
    expect(page).to_have_url(re.compile(r"parti=r&parti=frp"))
    table = page.locator("table.compare")
    expect(table.locator("thead th")).to_have_count(3)
    # Only heroin-assisted treatment is a real disagreement (for against against); silence is not.
    expect(page.locator(".result-count")).to_contain_text("Uenige om 1 tema, enige om 4.")
    expect(table.locator("tr.differs")).to_have_count(1)
    expect(table.locator("tr.differs")).to_contain_text("Heroinassistert")
    expect(table.locator("tr.differs")).to_contain_text("Uenige")
    har = table.locator("tbody tr", has_text="Heroinassistert")
    har.get_by_text("1 sitat").first.click()
    expect(har.locator("details[open] blockquote").first).to_be_visible()


@pytest.mark.allow_console_errors  # the 400 for too many is on purpose; Chromium logs it
def test_compare_too_many_without_javascript_keeps_the_choice(site, page, new_page, axe_check, vnu_check):
    no_js = new_page(java_script_enabled=False)
    no_js.goto("/sammenlign/")
    names = ["Arbeiderpartiet", "Høyre", "Fremskrittspartiet", "Senterpartiet", "Rødt"]
    for name in names:
        no_js.get_by_label(name, exact=True).check()
    no_js.get_by_role("button", name="Sammenlign", exact=True).click()
    expect(no_js.get_by_role("alert")).to_contain_text("høyst 4 organisasjoner om gangen, og du valgte 5")
    for name in names:
        expect(no_js.get_by_label(name, exact=True)).to_be_checked()
    no_js.get_by_label("Rødt", exact=True).uncheck()
    no_js.get_by_role("button", name="Sammenlign", exact=True).click()
    expect(no_js.locator("table.compare thead th")).to_have_count(5)
    # The 400 page itself: axe (with JavaScript, which axe needs) and, as served, the Nu checker.
    page.goto("/sammenlign/?parti=ap&parti=h&parti=frp&parti=sp&parti=r")
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    url = site.url_for("/sammenlign/?parti=ap&parti=h&parti=frp&parti=sp&parti=r")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url)  # noqa: S310 (live server)
    assert refused.value.code == 400
    vnu_check(refused.value.read().decode())


def test_search_updates_results_and_url(page):
    page.goto("/sok/")
    page.get_by_label("Søkeord").fill("sprøyterom")
    page.get_by_label("Søkeord").press("Enter")
    expect(page).to_have_url(re.compile(r"/sok/\?q=spr%C3%B8yterom"))
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".hit mark").first).to_have_text(re.compile("sprøyterom|brukerrom", re.I))
    expect(page.locator("#live-status")).to_contain_text("treff")
    page.locator(".hit-meta a[href*='/kilde/']").first.click()
    expect(page).to_have_url(re.compile(r"/kilde/[a-z0-9-]+/#u\d+$"))


def test_switch_language_to_english_and_back_keeps_the_page_and_sets_no_cookie(page):
    page.goto("/tema/lar/?niva=county")
    page.get_by_role("navigation", name="Språk").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/tema/lar/\?niva=county$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Distribution")).to_be_visible()
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Norsk bokmål").click()
    expect(page).to_have_url(re.compile(r"/tema/lar/\?niva=county$"))
    expect(page.get_by_role("heading", name="Fordeling")).to_be_visible()
    assert page.context.cookies() == []


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_have_no_axe_violations(page, axe_check, path):
    page.goto(path)
    axe_check(page)


def test_phone_layout_is_accessible(mobile_page, axe_check):
    for path in ["/parti/v/", "/sammenlign/?parti=ap&parti=frp&parti=v", "/kilde/h-rusavhengige/"]:
        mobile_page.goto(path)
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
        axe_check(mobile_page)


def test_main_pages_are_valid_html(vnu_check_url):
    vnu_check_url(
        *MAIN_PAGES,
        "/sammenlign/",
        "/sok/",
        "/?standpunkt=sproyterom:for&parti=nope",
        "/?standpunkt=sproyterom:for&niva=national",
    )


def test_htmx_fragments_are_valid_html_in_a_page(site, vnu_check):
    """Fragments are not documents: each is checked inside a minimal page, as htmx places it."""
    documents = {}
    for path in ["/parti/frp/tema/har/", "/?tema=lar", "/sok/?q=behandling"]:
        request = urllib.request.Request(site.url_for(path), headers={"HX-Request": "true"})
        with urllib.request.urlopen(request) as response:
            fragment = response.read().decode()
        assert "<html" not in fragment
        documents[f"fragment {path}"] = (
            '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Fragment</title></head>'
            f"<body><main>{fragment}</main></body></html>"
        )
    vnu_check(documents)
