"""Curating statements: spans stay exact slices of the verbatim source, attribution is explained."""

import pytest
from django.urls import reverse

from positions.models import Statement
from tests.admin.helpers import statement_form
from tests.factories import make_organisation, make_source, make_statement, make_topic

SOURCE_TEXT = "Innledning. Vi vil ha sprøyterom i Oslo. Vi vil styrke behandlingen."


@pytest.fixture
def statement(db):
    organisation = make_organisation(slug="v", name="Venstre")
    source = make_source(organisation=organisation, text=SOURCE_TEXT)
    start = SOURCE_TEXT.index("Vi vil ha")
    return Statement.objects.create(
        source=source,
        organisation=organisation,
        text="Vi vil ha sprøyterom",
        start=start,
        end=start + len("Vi vil ha sprøyterom"),
        order=1,
        kind="sentence",
    )


def change_url(statement):
    return reverse("admin:positions_statement_change", args=[statement.pk])


def test_moving_the_end_offset_makes_the_text_follow(editor_client, statement):
    new_end = SOURCE_TEXT.index(" i Oslo.") + len(" i Oslo.")
    response = editor_client.post(change_url(statement), statement_form(statement, end=new_end))

    assert response.status_code == 302, response.context["adminform"].form.errors
    statement.refresh_from_db()
    assert statement.text == "Vi vil ha sprøyterom i Oslo."
    assert statement.history.first().history_user.username == "redaktor"


def test_editing_only_the_text_finds_it_in_the_source(editor_client, statement):
    response = editor_client.post(
        change_url(statement), statement_form(statement, text="Vi vil styrke behandlingen.")
    )

    assert response.status_code == 302
    statement.refresh_from_db()
    assert SOURCE_TEXT[statement.start : statement.end] == "Vi vil styrke behandlingen."


def test_text_that_is_not_in_the_source_is_refused_naming_the_first_difference(editor_client, statement):
    response = editor_client.post(
        change_url(statement), statement_form(statement, text="Vi vil ha sprøyterum")
    )

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["text"])
    assert "første avvik ved tegn 19 (posisjon 30 i kilden)" in errors
    assert "«om»" in errors and "«um»" in errors
    statement.refresh_from_db()
    assert statement.text == "Vi vil ha sprøyterom"


def test_offsets_and_text_changed_together_must_agree(editor_client, statement):
    response = editor_client.post(
        change_url(statement), statement_form(statement, start=0, end=11, text="Innledning!")
    )

    assert response.status_code == 200
    assert "Kilden har «.»" in " ".join(response.context["adminform"].form.errors["text"])


def test_offsets_outside_the_source_are_refused(editor_client, statement):
    response = editor_client.post(
        change_url(statement), statement_form(statement, start=5, end=10_000, text="x")
    )

    assert response.status_code == 200
    assert "innenfor kildeteksten" in response.text


def test_uncertain_attribution_needs_a_note_before_the_database_is_asked(editor_client, statement):
    response = editor_client.post(change_url(statement), statement_form(statement, confidence="uncertain"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["attribution_note"] == [
        "En usikker attribusjon må ha en merknad som forklarer hvorfor."
    ]


def test_uncertain_attribution_with_a_note_reattributed_and_retagged(editor_client, statement):
    other = make_organisation(slug="innlandet-venstre", level="county", party=statement.organisation.party)
    topic = make_topic(slug="sproyterom")
    response = editor_client.post(
        change_url(statement),
        statement_form(
            statement,
            organisation=other.pk,
            confidence="uncertain",
            attribution_note="Står i fylkeslagets del av teksten.",
            topics=[topic.pk],
        ),
    )

    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.organisation, statement.confidence) == (other, "uncertain")
    assert list(statement.topics.all()) == [topic]


def test_posted_status_is_ignored_publishing_is_an_action(editor_client, statement):
    editor_client.post(change_url(statement), statement_form(statement, status="published"))

    statement.refresh_from_db()
    assert statement.status == "draft"


def test_search_finds_statements_by_their_text(editor_client, statement):
    make_statement(text="Noe helt annet.")
    url = reverse("admin:positions_statement_changelist")

    response = editor_client.get(url, {"q": "sprøyterom"})

    assert [s.pk for s in response.context["cl"].result_list] == [statement.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"parti": "v"},
        {"organisation__level": "national"},
        {"status__exact": "draft"},
        {"source__language": "nb"},
        {"confidence__exact": "certain"},
    ],
)
def test_list_filters_keep_matching_statements(editor_client, statement, query):
    other = make_organisation(party=make_organisation(slug="sv").party, level="county")
    make_statement(
        source=make_source(organisation=other, language="nn"), status="published", confidence="uncertain"
    )
    response = editor_client.get(reverse("admin:positions_statement_changelist"), query)

    assert [s.pk for s in response.context["cl"].result_list] == [statement.pk]


def test_topic_filter(editor_client, statement):
    topic = make_topic(slug="sproyterom")
    statement.topics.add(topic)
    make_statement()

    response = editor_client.get(
        reverse("admin:positions_statement_changelist"), {"topics__id__exact": topic.pk}
    )

    assert [s.pk for s in response.context["cl"].result_list] == [statement.pk]


def test_a_missing_statement_can_be_added_by_its_offsets_and_text(contributor_client, statement):
    start = SOURCE_TEXT.index("Vi vil styrke")
    text = "Vi vil styrke behandlingen."
    response = contributor_client.post(
        reverse("admin:positions_statement_add"),
        statement_form(statement, start=start, end=start + len(text), text=text),
    )

    assert response.status_code == 302
    added = Statement.objects.get(text=text)
    assert (added.order, added.status) == (2, "draft")
    assert added.history.get().history_user.username == "bidragsyter"
