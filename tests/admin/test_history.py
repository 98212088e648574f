"""History: who changed what and when, compared and reverted through the admin."""

import pytest
from django.urls import reverse

from tests.admin.helpers import publish_pending, stance_form
from tests.factories import make_organisation, make_stance, make_statement, make_topic


@pytest.fixture
def stance(db):
    organisation = make_organisation(slug="v", name="Venstre")
    statement = make_statement(organisation=organisation, text="Vi vil ha sprøyterom.")
    return make_stance(
        organisation=organisation,
        topic=make_topic(slug="sproyterom"),
        evidence=[statement],
        summary="Venstre vil ha sprøyterom.",
    )


def test_history_lists_who_changed_what(editor_client, stance):
    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]),
        stance_form(stance, summary="Feil oppsummering."),
    )
    publish_pending(editor_client, stance)

    response = editor_client.get(reverse("admin:positions_stance_history", args=[stance.pk]))

    assert response.status_code == 200
    assert "redaktor" in response.text
    latest = response.context["page_obj"].object_list[0]
    changes = latest.history_delta_changes
    summary_change = ("Oppsummering", "Venstre vil ha sprøyterom.", "Feil oppsummering.")
    assert summary_change in [(c["field"], c["old"], c["new"]) for c in changes]
    # The published revision is the entry: its publisher, and why (whose proposal it was).
    assert latest.history_change_reason.startswith("Forslag #")


def test_editor_reverts_a_summary_from_history(editor_client, stance):
    original = stance.history.latest()
    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]),
        stance_form(stance, summary="Feil oppsummering."),
    )
    publish_pending(editor_client, stance)
    revert_url = reverse("admin:positions_stance_simple_history", args=[stance.pk, original.history_id])

    shown = editor_client.get(revert_url)
    assert shown.status_code == 200
    assert shown.context["adminform"].form.initial["summary"] == "Venstre vil ha sprøyterom."

    response = editor_client.post(revert_url, stance_form(stance, summary=original.summary))

    assert response.status_code == 302
    publish_pending(editor_client, stance)
    stance.refresh_from_db()
    assert stance.summary == "Venstre vil ha sprøyterom."
    assert stance.history.latest().history_user.username == "redaktor"


def test_statement_and_source_changes_are_in_history(editor_client, stance):
    statement = stance.evidence.get()

    for url in [
        reverse("admin:positions_statement_history", args=[statement.pk]),
        reverse("admin:positions_source_history", args=[statement.source_id]),
        reverse("admin:parties_organisation_history", args=[stance.organisation_id]),
    ]:
        assert editor_client.get(url).status_code == 200, url


def test_first_edit_of_a_fixture_stance_can_be_reverted(editor_client):
    from positions.models import Stance
    from tests.conftest import load_real_data

    load_real_data()
    stance = Stance.objects.exclude(value="none").select_related("organisation").first()
    original_summary = stance.summary
    assert not stance.history.exists()  # loaddata writes no history

    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, summary="Feil.")
    )
    publish_pending(editor_client, stance)
    baseline = stance.history.earliest()
    assert baseline.summary == original_summary
    revert_url = reverse("admin:positions_stance_simple_history", args=[stance.pk, baseline.history_id])
    editor_client.post(revert_url, stance_form(stance, summary=baseline.summary))
    publish_pending(editor_client, stance)

    stance.refresh_from_db()
    assert stance.summary == original_summary
    assert stance.history.count() == 3


def test_reverting_a_stance_brings_back_its_evidence(editor_client, stance):
    original = stance.history.latest()
    first = stance.evidence.get()
    other = make_statement(organisation=stance.organisation, text="Vi vil ha brukerrom i alle byer.")
    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, evidence=[other.pk])
    )
    publish_pending(editor_client, stance)
    assert list(stance.evidence.all()) == [other]
    revert_url = reverse("admin:positions_stance_simple_history", args=[stance.pk, original.history_id])

    shown = editor_client.get(revert_url)
    initial = shown.context["adminform"].form.initial["evidence"]
    assert initial == [first.pk]

    response = editor_client.post(revert_url, stance_form(stance, evidence=initial))

    assert response.status_code == 302
    publish_pending(editor_client, stance)
    assert list(stance.evidence.all()) == [first]


def readonly_value(page: str, label: str) -> str:
    """The text of a read-only field in an admin change form, by its label."""
    import re

    match = re.search(rf">{label}:</label>\s*<div class=\"readonly\">(.*?)</div>", page, re.S)
    assert match, f"no read-only field {label!r}"
    return match.group(1).strip()


def test_loaded_data_shows_when_it_was_loaded_and_that_the_data_files_published_it(editor_client):
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.formats import date_format

    from positions.models import Stance, Statement

    call_command("load_data", verbosity=0)
    stance = Stance.objects.published().exclude(value="none").first()
    statement = stance.evidence.first()
    assert stance.published_at is not None and stance.published_by is None
    assert statement.published_at == stance.published_at
    assert not Stance.objects.published().filter(published_at__isnull=True).exists()
    assert not Statement.objects.published().filter(published_at__isnull=True).exists()

    for url in [
        reverse("admin:positions_stance_change", args=[stance.pk]),
        reverse("admin:positions_statement_change", args=[statement.pk]),
    ]:
        page = editor_client.get(url).text
        assert readonly_value(page, "Publisert") == date_format(
            timezone.localtime(stance.published_at), "DATETIME_FORMAT"
        )
        assert readonly_value(page, "Publisert av") == "Innlastet fra datafilene"


def test_publication_shows_the_editor_who_published(editor_client, stance):
    from positions.services import publish_stances, unpublish_stances
    from tests.admin.conftest import User

    editor = User.objects.get(username="redaktor")
    unpublish_stances(stances=[stance], user=editor)
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    assert readonly_value(editor_client.get(url).text, "Publisert av") == "-"

    publish_stances(stances=[stance], user=editor)
    assert readonly_value(editor_client.get(url).text, "Publisert av") == "redaktor"


def test_history_baseline_of_loaded_data_is_the_data_files_not_the_first_editor(editor_client):
    from positions.models import Stance
    from tests.conftest import load_real_data

    load_real_data()
    stance = Stance.objects.exclude(value="none").first()
    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, summary="Ny.")
    )
    publish_pending(editor_client, stance)

    baseline, edit = stance.history.order_by("history_date", "history_id")
    assert (baseline.history_user, baseline.history_change_reason) == (None, "Grunnlinje fra datafilene")
    assert edit.history_user.username == "redaktor"
    page = editor_client.get(reverse("admin:positions_stance_history", args=[stance.pk])).text
    table = page.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    rows = [" ".join(row.split()) for row in table.split("<tr>")[2:]]
    assert len(rows) == 2
    assert "Ingen" in rows[-1] and "Grunnlinje fra datafilene" in rows[-1] and "redaktor" not in rows[-1]
    assert "redaktor" in rows[0]
