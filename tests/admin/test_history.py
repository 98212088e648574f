"""History: who changed what and when, compared and reverted through the admin."""

import pytest
from django.urls import reverse

from tests.admin.helpers import stance_form
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

    response = editor_client.get(reverse("admin:positions_stance_history", args=[stance.pk]))

    assert response.status_code == 200
    assert "redaktor" in response.text
    latest = response.context["page_obj"].object_list[0]
    changes = latest.history_delta_changes
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [
        ("Oppsummering", "Venstre vil ha sprøyterom.", "Feil oppsummering.")
    ]


def test_editor_reverts_a_summary_from_history(editor_client, stance):
    original = stance.history.latest()
    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]),
        stance_form(stance, summary="Feil oppsummering."),
    )
    revert_url = reverse("admin:positions_stance_simple_history", args=[stance.pk, original.history_id])

    shown = editor_client.get(revert_url)
    assert shown.status_code == 200
    assert shown.context["adminform"].form.initial["summary"] == "Venstre vil ha sprøyterom."

    response = editor_client.post(revert_url, stance_form(stance, summary=original.summary))

    assert response.status_code == 302
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
    baseline = stance.history.earliest()
    assert baseline.summary == original_summary
    revert_url = reverse("admin:positions_stance_simple_history", args=[stance.pk, baseline.history_id])
    editor_client.post(revert_url, stance_form(stance, summary=baseline.summary))

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
    assert list(stance.evidence.all()) == [other]
    revert_url = reverse("admin:positions_stance_simple_history", args=[stance.pk, original.history_id])

    shown = editor_client.get(revert_url)
    initial = shown.context["adminform"].form.initial["evidence"]
    assert initial == [first.pk]

    response = editor_client.post(revert_url, stance_form(stance, evidence=initial))

    assert response.status_code == 302
    assert list(stance.evidence.all()) == [first]
