"""The editors' admin in real Chromium: CSP-clean pages, the import flow and the evidence
autocomplete scoped to the chosen organisation (fixtures: tests/browser/harness.py)."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from positions.models import Source, Stance, Statement
from positions.services import EDITOR, create_editor_roles

pytestmark = pytest.mark.browser

PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture
def editor_page(page, site, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_editor_roles()
    user = User.objects.create_user("redaktor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    page.goto("/admin/login/")
    page.get_by_label("Brukernavn").fill("redaktor")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.locator("#user-tools")).to_contain_text("redaktor")
    return page


def choose(page, field_id: str, term: str, option: str) -> None:
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_import_previews_then_saves_draft_statements(editor_page):
    page = editor_page
    page.goto("/admin/positions/source/importer/")
    page.get_by_label("Organisasjon").select_option(label="Horten Venstre")
    page.get_by_label("Tittel").fill("Nytt lokalprogram")
    page.get_by_label("Type").select_option("programme")
    page.get_by_label("Språk").select_option("nb")
    page.get_by_label("Fulltekst").fill("Rus\n\nVi vil ha brukerrom i Horten. Og bedre behandling.\n")
    page.get_by_role("button", name="Forhåndsvis uttalelser").click()

    expect(page.locator("#import-preview tbody tr")).to_have_count(3)
    assert not Source.objects.filter(title="Nytt lokalprogram").exists()

    page.get_by_role("button", name="Bekreft og lagre som utkast").click()

    expect(page.locator(".messagelist")).to_contain_text("lagret med 3 uttalelser")
    source = Source.objects.get(title="Nytt lokalprogram")
    assert source.text == "Rus\n\nVi vil ha brukerrom i Horten. Og bedre behandling.\n"
    assert set(source.statements.values_list("status", flat=True)) == {"draft"}


def test_evidence_autocomplete_follows_the_chosen_organisation(editor_page):
    page = editor_page
    page.goto("/admin/positions/stance/add/")
    choose(page, "id_organisation", "Rødt", "Rødt")

    page.locator("#id_evidence + .select2 .select2-search__field").fill("rus")
    options = page.locator(".select2-results__option:not(.loading-results)")
    expect(options.first).to_be_visible()
    shown = set(options.all_inner_texts())
    roedt = {str(s) for s in Statement.objects.filter(organisation__slug="r")}
    assert shown and shown <= roedt, shown - roedt


def test_preview_and_lists_render_without_console_errors(editor_page):
    page = editor_page
    for path in [
        "/admin/",
        "/admin/positions/stance/",
        "/admin/positions/stance/1/change/",
        "/admin/positions/stance/1/forhandsvis/",
        "/admin/positions/stance/1/history/",
        "/admin/positions/statement/?q=sprøyterom",
        "/admin/positions/source/1/change/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path


def column_box(page, column: str) -> dict:
    """The bounding box of a changelist column's header (Django marks it ``th.column-<name>``)."""
    box = page.locator(f"#result_list thead th.column-{column}").bounding_box()
    assert box is not None, column
    return box


def assert_fits(page, *columns: str) -> None:
    """The results table does not scroll sideways and ``columns`` are inside the viewport."""
    width = page.viewport_size["width"]
    overflow = page.evaluate(
        """() => {
            const scroller = document.querySelector('.results');
            return {
                page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                results: scroller.scrollWidth - scroller.clientWidth,
            };
        }"""
    )
    assert overflow == {"page": 0, "results": 0}, overflow
    for column in columns:
        box = column_box(page, column)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (column, box)


def test_statement_and_stance_lists_fit_at_1280_px_with_status_and_preview_in_view(editor_page):
    page = editor_page

    page.goto("/admin/positions/statement/")
    assert_fits(page, "short_text", "status")

    page.goto("/admin/positions/stance/")
    assert_fits(page, "cell", "status", "preview_link")
    # The summary wraps instead of being clipped: every summary's words are all on screen.
    summaries = page.locator("#result_list td.field-cell")
    clipped = summaries.evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)"
    )
    assert clipped == []
    longest = max(Stance.objects.all(), key=lambda s: len(s.summary))
    expect(page.locator("#result_list td.field-cell", has_text=longest.summary).first).to_be_visible()


def test_the_summary_field_shows_the_whole_sentence(editor_page):
    page = editor_page
    stance = max(Stance.objects.all(), key=lambda s: len(s.summary))
    page.goto(f"/admin/positions/stance/{stance.pk}/change/")

    summary = page.locator("#id_summary")
    assert summary.evaluate("el => el.tagName") == "TEXTAREA"
    expect(summary).to_have_value(stance.summary)
    assert summary.evaluate("el => el.scrollHeight <= el.clientHeight && el.scrollWidth <= el.clientWidth")


@pytest.mark.parametrize("term", ["Rus", "Sprøyterom", "Rødt vil:"])
def test_evidence_search_never_offers_a_heading(editor_page, term):
    """Rødt's text has the headings "Rus" and "Rødt vil:"; the search offers the statements
    under them, never the headings (and for "Rødt vil:", matched only by a heading, nothing)."""
    page = editor_page
    page.goto("/admin/positions/stance/add/")
    choose(page, "id_organisation", "Rødt", "Rødt")

    page.locator("#id_evidence + .select2 .select2-search__field").fill(term)
    options = page.locator(".select2-results__option:not(.loading-results)")
    expect(options.first).to_be_visible()
    shown = set(options.all_inner_texts())
    roedt = Statement.objects.filter(organisation__slug="r")
    headings = {str(s) for s in roedt.filter(kind="heading")}
    assert {"Rus", "Rødt vil:"} <= headings
    assert not shown & headings, shown & headings
    if term == "Rødt vil:":
        assert shown == {"Ingen treff"}
    else:
        assert shown and shown <= {str(s) for s in roedt.exclude(kind="heading")}, shown


def test_an_edit_of_a_published_stance_waits_for_review_then_goes_live(editor_page, new_page, axe_check):
    """The journey of section 5 of issue 9: edit → proposal (public unchanged) → review with
    preview → publish → public changed."""
    page = editor_page
    stance = Stance.objects.published().exclude(value="none").select_related("organisation", "topic").first()
    cell_path = f"/parti/{stance.organisation.slug}/tema/{stance.topic.slug}/"
    reader = new_page()
    new_summary = "En ny oppsummering som venter på gjennomgang."

    page.goto(f"/admin/positions/stance/{stance.pk}/change/")
    page.locator("#id_summary").fill(new_summary)
    page.get_by_role("button", name="Lagre", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("venter på gjennomgang")
    expect(page.locator(".stance-preview .summary")).to_have_text(new_summary)
    axe_check(page, include="#content-main")
    reader.goto(cell_path)
    expect(reader.locator(".summary")).to_have_text(stance.summary)

    page.goto("/admin/")
    page.locator("#pending-revisions a").first.click()
    page.get_by_role("button", name="Publiser forslaget").click()

    expect(page.locator(".messagelist")).to_contain_text("Forslaget er publisert.")
    reader = new_page()  # a new reader: the first one's browser may keep the page for max-age
    reader.goto(cell_path)
    expect(reader.locator(".summary")).to_have_text(new_summary)
