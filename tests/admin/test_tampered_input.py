"""Tampered admin addresses and forms get 400 or 404 with a page, never a 500, on both databases.

Each kind was a 500 before (see ruspolitikk/admin_input.py, ruspolitikk/badrequests.py): a NUL
in any term or filter (PostgreSQL), ids that are not numbers in history URLs, list filter
values the field cannot hold, forged action selections, related ids that are not ids in a
form's prefill or post, and a NUL byte in an uploaded source text.
"""

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from positions.models import Source, Stance, Statement
from tests.admin.helpers import stance_form, statement_form

pytestmark = pytest.mark.usefixtures("real_data")

NUL_MESSAGE = "Adressen inneholder et nulltegn (%00)."


@pytest.fixture
def quiet_client(client):
    """A client that returns a 500 as a response instead of raising, so the test can say which URL."""
    client.raise_request_exception = False
    return client


@pytest.fixture
def editor_quiet(quiet_client, editor):
    quiet_client.force_login(editor)
    return quiet_client


@pytest.fixture
def superuser_quiet(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/positions/statement/?q=%00",
        "/admin/positions/statement/?status__exact=%00",
        "/admin/positions/statement/?text__contains=%00",
        "/admin/positions/statement/?parti=%00",
        "/admin/positions/source/?organisation__level__exact=%00",
        "/admin/autocomplete/?app_label=positions&model_name=stance&field_name=evidence&term=%00",
        "/admin/autocomplete/?app_label=positions&model_name=stance&field_name=organisation&term=%00",
        "/admin/positions/statement/add/?source=%00",
        "/admin/positions/statement/%00/change/",
    ],
)
def test_a_nul_in_any_admin_term_filter_or_id_is_400(editor_quiet, url):
    response = editor_quiet.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_history_ids_that_are_not_numbers_are_404(editor_quiet):
    statement = Statement.objects.first()
    for url in [
        f"/admin/positions/statement/{statement.pk}/history/abc/",
        "/admin/positions/statement/abc/history/",
        "/admin/positions/stance/abc/history/1/",
        f"/admin/positions/source/{statement.source_id}/history/1.5/",
        "/admin/parties/organisation/x/history/",
    ]:
        assert editor_quiet.get(url).status_code == 404, url
    revert = f"/admin/positions/statement/{statement.pk}/history/abc/"
    assert editor_quiet.post(revert, statement_form(statement)).status_code == 404


def test_a_real_history_version_still_opens(editor_quiet):
    statement = Statement.objects.first()
    editor_quiet.post(
        reverse("admin:positions_statement_change", args=[statement.pk]),
        statement_form(statement, attribution_note="Endret."),
    )
    version = statement.history.earliest()
    url = reverse("admin:positions_statement_simple_history", args=[statement.pk, version.history_id])
    assert editor_quiet.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "source__id__exact=abc",
        "topics__id__exact=zz",
        "id__in=1,abc",
        "start=99999999999999999999999",
        "published_at__gte=igår",
    ],
)
def test_list_filter_values_the_field_cannot_hold_are_400(editor_quiet, query):
    assert editor_quiet.get(f"/admin/positions/statement/?{query}").status_code == 400


@pytest.mark.parametrize(
    "query", ["o=abc", "o=99", "o=1.-x", "parti=finnes-ikke", "status__exact=ukjent", "p=abc", "p=99999"]
)
def test_bogus_orderings_pages_and_filter_choices_are_not_errors(editor_quiet, query):
    assert editor_quiet.get(f"/admin/positions/statement/?{query}").status_code in (200, 302)


def test_well_formed_filters_still_filter(editor_quiet):
    statement = Statement.objects.first()
    response = editor_quiet.get(f"/admin/positions/statement/?source__id__exact={statement.source_id}")
    assert response.status_code == 200
    expected = Statement.objects.filter(source_id=statement.source_id).count()
    assert response.context["cl"].result_count == expected


@pytest.mark.parametrize("query", ["ip_address=abc", "ip_address__gt=1", "ip_address__in=1.2.3.4,x"])
def test_login_attempt_filters_on_an_address_that_is_not_one_are_400(superuser_quiet, query):
    # PostgreSQL's inet type refused the value in the query: a 500 before.
    AccessAttempt.objects.create(ip_address="10.0.0.1", username="x", failures_since_start=1)
    for model in ["accessattempt", "accesslog", "accessfailurelog"]:
        assert superuser_quiet.get(f"/admin/axes/{model}/?{query}").status_code == 400
    assert superuser_quiet.get("/admin/axes/accessattempt/?ip_address=10.0.0.1").status_code == 200


@pytest.mark.parametrize("selected", [["abc"], ["1", "\x00"], ["1.5"]])
def test_an_action_on_forged_row_ids_is_400_and_changes_nothing(editor_quiet, selected):
    before = list(Statement.objects.values_list("pk", "status"))
    for action in ["unpublish_selected", "delete_selected"]:
        data = {"action": action, "_selected_action": selected}
        assert editor_quiet.post("/admin/positions/statement/", data).status_code == 400
    assert list(Statement.objects.values_list("pk", "status")) == before


def test_an_add_form_prefilled_with_ids_that_are_not_ids_shows_empty_choices(editor_quiet):
    response = editor_quiet.get("/admin/positions/statement/add/?source=abc&organisation=1.5")
    assert response.status_code == 200
    assert response.context["adminform"].form["source"].value() == "abc"
    response = editor_quiet.get("/admin/positions/stance/add/?evidence=abc,1&organisation=x")
    assert response.status_code == 200


def test_a_posted_form_with_forged_related_ids_is_shown_again_with_errors(editor_quiet):
    statement = Statement.objects.first()
    response = editor_quiet.post(
        reverse("admin:positions_statement_change", args=[statement.pk]),
        statement_form(statement, source="abc", organisation="\x00"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"source", "organisation"}

    stance = Stance.objects.exclude(evidence=None).first()
    response = editor_quiet.post(
        reverse("admin:positions_stance_change", args=[stance.pk]),
        stance_form(stance, evidence=["abc", "\x00"], organisation="x"),
    )
    assert response.status_code == 200
    assert "evidence" in response.context["adminform"].form.errors


def test_an_uploaded_source_with_a_nul_byte_is_refused_by_the_form(editor_quiet):
    data = {
        "organisation": Source.objects.first().organisation_id,
        "title": "Binær",
        "kind": "web_page",
        "language": "nb",
        "date_precision": "unknown",
        "upload": SimpleUploadedFile("tekst.txt", b"Vi vil ha\x00 behandling.\n"),
        "_confirm": "1",
    }
    count = Source.objects.count()
    response = editor_quiet.post(reverse("admin:positions_source_import"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["upload"] == ["Null-tegn er ikke tillatt."]
    assert Source.objects.count() == count
