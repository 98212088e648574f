"""«Importer kilde»: the text is parsed and previewed, saved only on confirmation, never twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from positions.models import Source, Statement
from positions.services import import_source
from positions.text import sha256
from tests.factories import make_organisation, make_topic

IMPORT_URL = reverse("admin:positions_source_import")
TEXT = (
    "Rusreform\n\n"
    "Vi vil avkriminalisere bruk av narkotika. Sprøyterom skal finnes i alle store byer.\n\n"
    "- Flere plasser i behandling\n"
)


@pytest.fixture
def topics(db):
    return [
        make_topic(slug="avkriminalisering", lexicon="avkriminalis"),
        make_topic(slug="sproyterom", lexicon="sprøyterom|brukerrom"),
        make_topic(slug="behandling", lexicon="behandling"),
    ]


@pytest.fixture
def organisation(db):
    return make_organisation(slug="mdg", name="Miljøpartiet De Grønne")


def form_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "title": "Rusreform nå",
        "kind": "web_page",
        "language": "nb",
        "date_precision": "day",
        "date_start": "2024-03-01",
        "date_end": "",
        "url": "https://example.org/rus",
        "text": TEXT,
    }
    return data | overrides


def confirmed(data):
    """The form as the confirm button sends it: with the checksum of the previewed text."""
    text = data["text"].replace("\r\n", "\n")
    return data | {"_confirm": "1", "previewed": sha256(text)}


def test_preview_shows_parsed_statements_with_suggested_topics_and_saves_nothing(
    editor_client, organisation, topics
):
    response = editor_client.post(IMPORT_URL, form_data(organisation) | {"_preview": "1"})

    assert response.status_code == 200
    drafts = response.context["drafts"]
    assert [draft.text for draft, _topics in drafts] == [
        "Rusreform",
        "Vi vil avkriminalisere bruk av narkotika.",
        "Sprøyterom skal finnes i alle store byer.",
        "Flere plasser i behandling",
    ]
    assert [[t.slug for t in suggested] for _draft, suggested in drafts] == [
        [],
        ["avkriminalisering"],
        ["sproyterom"],
        ["behandling"],
    ]
    assert "Vi vil avkriminalisere bruk av narkotika." in response.text
    assert not Source.objects.exists()
    assert not Statement.objects.exists()


def test_confirm_saves_source_and_draft_statements_of_its_organisation(editor_client, organisation, topics):
    # The browser sends textarea content with CRLF line ends; the saved text uses LF.
    data = confirmed(form_data(organisation, text=TEXT.replace("\n", "\r\n")))
    response = editor_client.post(IMPORT_URL, data)

    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?source__id__exact={source.pk}")
    assert source.text == TEXT
    assert source.organisation == organisation
    assert source.date_label == "01.03.2024"
    statements = list(source.statements.order_by("order"))
    assert len(statements) == 4
    for statement in statements:
        assert source.text[statement.start : statement.end] == statement.text
        assert statement.organisation == organisation
        assert statement.status == "draft"
        assert statement.confidence == "certain"
    assert [t.slug for t in statements[2].topics.all()] == ["sproyterom"]
    assert source.history.get().history_user.username == "redaktor"


def test_reimporting_the_same_text_links_the_existing_source_and_creates_nothing(
    editor_client, organisation, topics
):
    editor_client.post(IMPORT_URL, confirmed(form_data(organisation)))
    existing = Source.objects.get()

    response = editor_client.post(
        IMPORT_URL, confirmed(form_data(organisation, title="Et annet navn")), follow=True
    )

    assert Source.objects.count() == 1
    assert Statement.objects.count() == 4
    assert "allerede importert" in response.text
    assert reverse("admin:positions_source_change", args=[existing.pk]) in response.text


def test_uploaded_txt_file_is_imported_verbatim(editor_client, organisation, topics):
    upload = SimpleUploadedFile("tekst.txt", ("\ufeff" + TEXT).encode("utf-8"), "text/plain")
    data = form_data(organisation, text="") | {"upload": upload, "_confirm": "1", "previewed": sha256(TEXT)}
    editor_client.post(IMPORT_URL, data)

    assert Source.objects.get().text == TEXT


def test_upload_that_is_not_utf8_is_refused_with_a_message(editor_client, organisation, topics):
    upload = SimpleUploadedFile("tekst.txt", "Brukerrom på Bærum".encode("latin-1"), "text/plain")
    response = editor_client.post(
        IMPORT_URL, form_data(organisation, text="") | {"upload": upload, "_preview": "1"}
    )

    assert response.status_code == 200
    assert "ikke UTF-8" in response.text
    assert not Source.objects.exists()


def test_empty_text_and_reversed_dates_are_form_errors(editor_client, organisation, topics):
    data = form_data(organisation, text="  ", date_precision="period", date_end="2020-01-01")
    response = editor_client.post(IMPORT_URL, confirmed(data))

    assert response.status_code == 200
    assert "Teksten er tom." in response.text
    assert "Til-datoen kan ikke være før fra-datoen." in response.text
    assert not Source.objects.exists()


def test_add_source_button_leads_to_the_import_view(editor_client):
    response = editor_client.get(reverse("admin:positions_source_add"))

    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL


def test_import_source_service_is_idempotent_on_the_text(organisation, topics, editor):
    arguments = {
        "organisation": organisation,
        "title": "Tittel",
        "kind": "article",
        "language": "nn",
        "date_precision": "year",
        "date_start": None,
        "date_end": None,
        "url": "",
        "text": TEXT,
        "user": editor,
    }
    first = import_source(**arguments)
    second = import_source(**arguments | {"title": "Ny tittel"})

    assert first.pk == second.pk
    assert Source.objects.count() == 1
    assert Statement.objects.count() == 4


def test_source_text_is_read_only_once_it_has_statements(editor_client, organisation, topics):
    editor_client.post(IMPORT_URL, confirmed(form_data(organisation)))
    source = Source.objects.get()

    response = editor_client.get(reverse("admin:positions_source_change", args=[source.pk]))

    assert "text" in response.context["adminform"].readonly_fields
    assert 'name="text"' not in response.text


def test_text_changed_after_the_preview_is_previewed_again_not_saved(editor_client, organisation, topics):
    data = confirmed(form_data(organisation)) | {"text": TEXT + "Ny setning her.\n"}

    response = editor_client.post(IMPORT_URL, data)

    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "Ny setning her." in [draft.text for draft, _topics in response.context["drafts"]]
    assert "endret etter forhåndsvisningen" in response.text
    assert not Source.objects.exists()
