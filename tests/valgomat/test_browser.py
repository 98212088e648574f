"""The valgomat in real Chromium: by keyboard one question at a time, without JavaScript, on a phone."""

import re

from playwright.sync_api import expect

from positions.models import Topic

SANITY = "/valgomat/resultat/?svar=avkriminalisering:helt-enig&svar=har:helt-enig&svar=sproyterom:helt-enig"


def ranking(page) -> list[str]:
    return page.locator(".valgomat-result h3").all_inner_texts()


def test_answer_every_question_by_keyboard_see_the_ranking_open_a_quote_and_share_the_url(page, new_page):
    total = Topic.objects.count()
    page.goto("/valgomat/")
    page.get_by_role("link", name="Start: ett spørsmål om gangen").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".progress")).to_have_text(f"1 av {total}")
    expect(page.locator("#sporsmal")).to_be_focused()
    expect(page).to_have_url(re.compile(r"steg=1"))
    for number in range(1, total + 1):
        expect(page.locator(".progress")).to_have_text(f"{number} av {total}")
        expect(page.locator("#sporsmal")).to_be_focused()  # the swap has moved focus to the new question
        page.keyboard.press("Tab")  # the checked answer: "Hopp over" until answered
        expect(page.get_by_role("radio", name="Hopp over")).to_be_focused()
        page.keyboard.press("ArrowDown")  # round to the first: "Helt enig"
        if number == 2:
            page.keyboard.press("ArrowDown")  # "Delvis enig"
        page.keyboard.press("Tab")  # "Ekstra viktig"
        if number == 1:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")  # "Neste"
        page.keyboard.press("Enter")
        if number == 2:
            # Back one question and forth again: nothing is lost, the address holds it all.
            expect(page.locator(".progress")).to_have_text(f"3 av {total}")
            expect(page).to_have_url(re.compile(r"svar=.*%3Adelvis-enig"))
            page.get_by_role("button", name="Forrige").click()
            expect(page.locator(".progress")).to_have_text(f"2 av {total}")
            expect(page.get_by_role("radio", name="Delvis enig")).to_be_checked()
            page.get_by_role("button", name="Neste").click()

    expect(page).to_have_url(re.compile(r"/valgomat/resultat/\?svar="))
    expect(page.locator(".valgomat-result").first).to_contain_text("1. plass")
    expect(page.locator(".valgomat-result").first).to_contain_text("% enig")
    expect(page.locator(".valgomat-result").first).to_contain_text("bygger på")
    first = page.locator(".valgomat-result").first
    first.locator("summary").click()
    link = first.locator("a.cell-link").first
    link.click()
    dialog = page.locator("#evidence-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("blockquote").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(link).to_be_focused()

    shown = ranking(page)
    copy = new_page()
    copy.goto(page.url)
    assert ranking(copy) == shown


def test_without_javascript_one_form_gives_the_ranking_and_the_quote(new_page, axe_check):
    page = new_page(java_script_enabled=False)
    page.goto("/valgomat/")
    expect(page.get_by_role("link", name="Start: ett spørsmål om gangen")).to_have_attribute(
        "href", "#skjema"
    )
    for slug in ("avkriminalisering", "har", "sproyterom"):
        page.locator(f"#svar-{slug}").select_option(f"{slug}:helt-enig")
    page.locator('input[name="viktig"][value="har"]').check()
    page.locator("#skjema").get_by_role("button", name="Se resultatet").click()
    expect(page).to_have_url(re.compile(r"/valgomat/resultat/\?svar=avkriminalisering%3Ahelt-enig"))
    names = ranking(page)
    assert names.index(next(n for n in names if "Rødt" in n)) < names.index(
        next(n for n in names if "Fremskrittspartiet" in n)
    )
    page.get_by_role("radio", name="Euklidsk avstand").check()
    page.get_by_role("button", name="Oppdater").click()
    expect(page).to_have_url(re.compile(r"avstand=euklidsk"))
    page.locator(".valgomat-result").first.locator("summary").click()
    page.locator(".valgomat-result").first.locator("a.cell-link").first.click()
    expect(page).to_have_url(re.compile(r"/parti/[a-z-]+/tema/[a-z-]+/$"))
    expect(page.locator(".evidence")).to_be_visible()


def test_valgomat_pages_are_accessible_wide_and_on_a_phone(page, mobile_page, axe_check):
    for p in (page, mobile_page):
        for path in (
            "/valgomat/",
            "/valgomat/?steg=2&svar=har:helt-enig",
            SANITY,
            SANITY + "&svar=lar:noytral&niva=county&niva=youth",
            "/en" + SANITY,
        ):
            p.goto(path)
            axe_check(p)
            sizes = p.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert sizes[0] <= sizes[1], (path, sizes)
        p.goto(SANITY)
        for details in p.locator(".answer-details").all():
            details.locator("summary").click()
        axe_check(p)
        sizes = p.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], sizes


def test_valgomat_pages_are_valid_html(vnu_check_url):
    vnu_check_url(
        "/valgomat/",
        "/valgomat/?steg=1",
        SANITY,
        "/valgomat/resultat/?svar=har:noytral",
        "/en/valgomat/",
        "/en" + SANITY,
    )
