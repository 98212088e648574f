"""Setting a stance: value, summary and evidence from the stance organisation's own statements."""

import pytest
from django.urls import reverse

from positions.models import Stance
from tests.factories import make_organisation, make_stance, make_statement, make_topic

ADD_URL = reverse("admin:positions_stance_add")


@pytest.fixture
def topic(db):
    return make_topic(slug="sproyterom", name="Sprøyterom")


@pytest.fixture
def organisation(db):
    return make_organisation(slug="v", name="Venstre")


@pytest.fixture
def own_statement(organisation):
    return make_statement(organisation=organisation, text="Vi vil ha sprøyterom i alle byer.", status="draft")


@pytest.fixture
def foreign_statement(db):
    return make_statement(organisation=make_organisation(slug="frp"), text="Nei til sprøyterom.")


def data(organisation, topic, **overrides):
    return {
        "organisation": organisation.pk,
        "topic": topic.pk,
        "value": "for",
        "summary": "Venstre vil ha sprøyterom.",
        "evidence": [],
    } | overrides


def evidence_search(client, organisation, term):
    """The stance form's evidence autocomplete, as its widget asks it."""
    return client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "positions",
            "model_name": "stance",
            "field_name": "evidence",
            "organisation": organisation.pk,
        },
    )


def test_stance_with_own_evidence_is_saved_as_draft(editor_client, organisation, topic, own_statement):
    response = editor_client.post(ADD_URL, data(organisation, topic, evidence=[own_statement.pk]))

    assert response.status_code == 302
    stance = Stance.objects.get()
    assert stance.status == "draft"
    assert list(stance.evidence.all()) == [own_statement]
    assert stance.history.first().history_user.username == "redaktor"


def test_stance_other_than_none_without_evidence_is_refused_saying_why(editor_client, organisation, topic):
    response = editor_client.post(ADD_URL, data(organisation, topic, value="partly"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["evidence"] == [
        "Et standpunkt som ikke er «ikke uttalt» må ha minst ett sitat som belegg."
    ]
    assert not Stance.objects.exists()


def test_evidence_from_another_organisation_is_refused(editor_client, organisation, topic, foreign_statement):
    response = editor_client.post(ADD_URL, data(organisation, topic, evidence=[foreign_statement.pk]))

    assert response.status_code == 200
    error = response.context["adminform"].form.errors["evidence"][0]
    assert "Belegget må være uttalelser fra Venstre" in error
    assert "Nei til sprøyterom." in error
    assert not Stance.objects.exists()


def test_none_stance_with_evidence_is_refused_and_without_is_saved(
    editor_client, organisation, topic, own_statement
):
    refused = editor_client.post(
        ADD_URL, data(organisation, topic, value="none", evidence=[own_statement.pk])
    )
    saved = editor_client.post(ADD_URL, data(organisation, topic, value="none", summary="Sier ingenting."))

    assert "kan ikke ha belegg" in refused.context["adminform"].form.errors["evidence"][0]
    assert saved.status_code == 302
    assert Stance.objects.get().value == "none"


def test_second_stance_for_the_same_cell_is_refused(editor_client, organisation, topic):
    make_stance(organisation=organisation, topic=topic, value="none")

    response = editor_client.post(ADD_URL, data(organisation, topic, value="none"))

    assert response.status_code == 200
    assert Stance.objects.count() == 1


def test_evidence_autocomplete_offers_only_the_stance_organisations_statements(
    editor_client, organisation, topic, own_statement, foreign_statement
):
    stance = make_stance(organisation=organisation, topic=topic, evidence=[own_statement], status="draft")
    change = editor_client.get(reverse("admin:positions_stance_change", args=[stance.pk]))
    autocomplete_url = f"{reverse('admin:autocomplete')}?organisation={organisation.pk}"
    assert f'data-ajax--url="{autocomplete_url}"'.replace("&", "&amp;") in change.text

    response = evidence_search(editor_client, organisation, "sprøyterom")

    assert [r["id"] for r in response.json()["results"]] == [str(own_statement.pk)]


def test_add_form_scopes_autocomplete_to_an_organisation_given_in_the_address(editor_client, organisation):
    response = editor_client.get(ADD_URL, {"organisation": organisation.pk})

    assert f"?organisation={organisation.pk}" in response.text
    assert response.context["adminform"].form.initial["organisation"] == str(organisation.pk)


def test_stance_list_shows_the_cell_as_the_public_sees_it(editor_client, organisation, topic):
    make_stance(organisation=organisation, topic=topic, value="partly", summary="Bare i storbyene.")

    response = editor_client.get(reverse("admin:positions_stance_changelist"))

    assert "◐" in response.text
    assert "delvis" in response.text
    assert "Bare i storbyene." in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"parti": "v"},
        {"value__exact": "for"},
        {"status__exact": "draft"},
        {"organisation__level": "national"},
    ],
)
def test_stance_list_filters(editor_client, organisation, topic, query):
    wanted = make_stance(organisation=organisation, topic=topic, value="for", status="draft")
    other_party = make_organisation(slug="krf")
    make_stance(
        organisation=make_organisation(party=other_party.party, level="youth"), topic=topic, value="against"
    )

    response = editor_client.get(reverse("admin:positions_stance_changelist"), query)

    assert [s.pk for s in response.context["cl"].result_list] == [wanted.pk]


def test_preview_renders_a_draft_stance_with_its_draft_evidence(
    editor_client, organisation, topic, own_statement
):
    stance = make_stance(
        organisation=organisation,
        topic=topic,
        value="for",
        evidence=[own_statement],
        status="draft",
        summary="Venstre vil ha sprøyterom.",
    )

    response = editor_client.get(reverse("admin:positions_stance_preview", args=[stance.pk]))

    assert response.status_code == 200
    assert "Utkast" in response.text
    assert "✓" in response.text
    assert "Venstre vil ha sprøyterom." in response.text
    assert "Vi vil ha sprøyterom i alle byer." in response.text
    assert not Stance.objects.published().exists()


@pytest.mark.parametrize("field", ["organisation", "topic"])
def test_stance_form_offers_no_way_to_change_or_delete_the_organisation_or_topic(
    editor_client, organisation, topic, own_statement, field
):
    stance = make_stance(organisation=organisation, topic=topic, evidence=[own_statement], status="draft")

    for url in [reverse("admin:positions_stance_change", args=[stance.pk]), ADD_URL]:
        page = editor_client.get(url).text
        assert f'id="id_{field}"' in page
        for link in ["add", "change", "delete", "view"]:
            assert f'id="{link}_id_{field}"' not in page, (url, link)
    assert reverse("admin:parties_organisation_delete", args=[organisation.pk]) not in page
    assert "/delete/" not in page


def test_evidence_autocomplete_never_offers_a_heading(editor_client, organisation, own_statement):
    make_statement(organisation=organisation, source=own_statement.source, text="Sprøyterom", kind="heading")

    response = evidence_search(editor_client, organisation, "sprøyterom")

    assert [r["text"] for r in response.json()["results"]] == ["Vi vil ha sprøyterom i alle byer."]


def test_a_heading_posted_as_evidence_is_refused_saying_why(editor_client, organisation, topic):
    heading = make_statement(organisation=organisation, text="Rødt vil:", kind="heading")

    response = editor_client.post(ADD_URL, data(organisation, topic, evidence=[heading.pk]))

    assert response.status_code == 200
    error = response.context["adminform"].form.errors["evidence"][0]
    assert "En overskrift er aldri belegg" in error and "«Rødt vil:»" in error
    assert not Stance.objects.exists()


def test_an_editor_writes_the_english_summary_in_the_stance_form(
    editor_client, organisation, topic, own_statement
):
    response = editor_client.post(
        ADD_URL, data(organisation, topic, evidence=[own_statement.pk], summary_en="Wants more rooms.")
    )

    assert response.status_code == 302
    assert Stance.objects.get().summary_en == "Wants more rooms."
