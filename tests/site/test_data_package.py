"""/datapakke.json describes the exports (Frictionless Data Package); /eksport.json says what it is."""

import csv
import datetime
import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from positions import data_version, export
from positions.models import Source, Stance, Statement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

NAME = re.compile(r"^[a-z0-9._-]+$")  # the spec's package and resource names
TABLE_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "datetime", "year"}


def package(client, path="/datapakke.json") -> dict:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.getvalue())


def parse_time(value: str) -> datetime.datetime:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value), value
    return datetime.datetime.fromisoformat(value)


def local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver"
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


# --- the data package -------------------------------------------------------------------------


def test_the_package_has_what_the_spec_asks_for(client):
    data = package(client)
    assert NAME.match(data["name"]) and data["title"]
    assert data["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    now = datetime.datetime.now(datetime.UTC)
    assert abs((now - parse_time(data["created"])).total_seconds()) < 60
    assert re.fullmatch(r"[0-9a-f]{16}", data["version"])
    assert data["homepage"] == "http://testserver/om/"
    names = [resource["name"] for resource in data["resources"]]
    assert names == ["ruspolitikk-csv", "ruspolitikk-xlsx", "ruspolitikk-json"]
    for resource in data["resources"]:
        assert NAME.match(resource["name"])
        assert {"path", "format", "mediatype", "encoding", "schema"} <= resource.keys()
        assert resource["encoding"] == "utf-8"
        for field in resource["schema"]["fields"]:
            assert {"name", "type", "description"} <= field.keys()
            assert field["type"] in TABLE_SCHEMA_TYPES and field["description"]


def test_every_csv_column_is_in_the_schema_in_order_with_its_type(client):
    [csv_resource, xlsx_resource, _json] = package(client)["resources"]
    fields = csv_resource["schema"]["fields"]
    assert [field["name"] for field in fields] == export.CSV_COLUMNS
    assert xlsx_resource["schema"] == csv_resource["schema"]
    types = {field["name"]: field["type"] for field in fields}
    assert types["quote_number"] == "integer"
    assert {types[name] for name in export.CSV_COLUMNS if name != "quote_number"} == {"string"}
    stance = next(field for field in fields if field["name"] == "stance")
    assert stance["constraints"]["enum"] == ["for", "partly", "against", "none"]
    assert stance["description"] == str(export.COLUMN_HELP["stance"])


def test_each_resource_is_the_file_it_describes_with_every_cell(client):
    resources = {resource["format"]: resource for resource in package(client)["resources"]}
    cells = 12 * 14

    response = client.get(local(resources["csv"]["path"]))
    assert response["Content-Type"].startswith(resources["csv"]["mediatype"])
    reader = csv.DictReader(io.StringIO(response.getvalue().decode(resources["csv"]["encoding"])))
    assert reader.fieldnames == [field["name"] for field in resources["csv"]["schema"]["fields"]]
    csv_rows = list(reader)
    assert len({(row["organisation"], row["topic"]) for row in csv_rows}) == cells
    enums = {
        f["name"]: f["constraints"]["enum"]
        for f in resources["csv"]["schema"]["fields"]
        if "constraints" in f
    }
    for row in csv_rows:
        for name, allowed in enums.items():
            assert row[name] in allowed or row[name] == "", (name, row[name])

    response = client.get(local(resources["xlsx"]["path"]))
    assert response["Content-Type"] == resources["xlsx"]["mediatype"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert [cell.value for cell in sheet[1]] == [f["name"] for f in resources["xlsx"]["schema"]["fields"]]
    assert sheet.max_row == len(csv_rows) + 1

    response = client.get(local(resources["json"]["path"]))
    assert response["Content-Type"].startswith(resources["json"]["mediatype"])
    rows = json.loads(response.getvalue())["rows"]
    assert len(rows) == cells
    assert {tuple(row) for row in rows} == {tuple(f["name"] for f in resources["json"]["schema"]["fields"])}


def test_the_sources_are_the_party_texts(client):
    sources = package(client)["sources"]
    assert len(sources) == Source.objects.count() == 13
    by_path = {local(source["path"]): source for source in sources}
    senterungdommen = by_path["/kilde/senterungdommen-rusreform-2020/"]
    assert "Senterungdommen" in senterungdommen["title"]
    assert "26.05.2020" in senterungdommen["title"]
    for path in by_path:
        assert client.get(path).status_code == 200


def test_the_version_is_the_published_data(client):
    first = package(client)["version"]
    assert package(client)["version"] == first
    assert package(client, "/en/datapakke.json")["version"] == first  # the same data in English
    stance = Stance.objects.published().exclude(value="none").first()
    stance.summary += " Endret."
    stance.save()
    changed = package(client)["version"]
    assert changed != first
    stance.summary = stance.summary.removesuffix(" Endret.")
    stance.save()
    assert package(client)["version"] == first


def test_a_changed_quote_is_a_new_version(client):
    first = package(client)["version"]
    quote = Statement.objects.published().filter(stances__status="published").first()
    note = quote.attribution_note
    quote.attribution_note = "Sagt av en annen."
    quote.save()
    assert package(client)["version"] != first
    quote.attribution_note = note
    quote.save()
    assert package(client)["version"] == first


def test_the_version_is_read_once_per_data_version_not_per_request(client):
    """The digest is aggregate queries over the data, kept under the data's version: a second
    request (the English page: not the same cached page) reads only the sources it lists; a write
    makes the next one read the digest again."""
    with CaptureQueriesContext(connection) as first:
        version = package(client)["version"]
    with CaptureQueriesContext(connection) as again:
        assert package(client, "/en/datapakke.json")["version"] == version
    assert len(again) == 1 and "positions_source" in again[0]["sql"]
    assert len(first) == len(again) + len(data_version.parts())
    stance = Stance.objects.published().exclude(value="none").first()
    stance.summary += " Endret."
    stance.save()
    with CaptureQueriesContext(connection) as changed:
        assert package(client)["version"] != version
    assert len(changed) == len(first)


def test_the_english_package_describes_in_english(client):
    data = package(client, "/en/datapakke.json")
    assert data["title"].startswith("Ruspolitikk: what the parties think")
    assert data["resources"][0]["path"].startswith("http://testserver/en/eksport.csv?")


# --- the JSON export's own description --------------------------------------------------------


def test_the_json_export_says_its_filters_time_and_licence(client):
    document = json.loads(
        client.get("/eksport.json?standpunkt=sproyterom:for&tema=lar&tema=tvang").getvalue()
    )
    assert list(document) == ["generated", "filters", "licenses", "attribution", "rows"]
    assert abs((datetime.datetime.now(datetime.UTC) - parse_time(document["generated"])).total_seconds()) < 60
    assert document["licenses"] == [export.LICENSE]
    assert "CC BY 4.0" in document["attribution"] and "opphavsretten" in document["attribution"]
    filters = document["filters"]
    assert filters["parti"] is None
    assert filters["tema"] == ["lar", "tvang"]
    assert filters["standpunkt"] == ["sproyterom:for"]
    assert filters["query"] == "tema=lar&tema=tvang&standpunkt=sproyterom%3Afor"
    assert set(filters["niva"]) <= {"national", "county", "municipal", "youth"} and filters["niva"]


def test_the_json_export_names_the_levels_it_was_limited_to(client):
    filters = json.loads(client.get("/eksport.json?niva=county&niva=youth").getvalue())["filters"]
    assert filters["niva"] == ["county", "youth"]
    assert filters["parti"] is None and filters["tema"] is None and filters["standpunkt"] == []


# --- /om/ -------------------------------------------------------------------------------------


def test_the_about_page_states_the_licence_and_links_the_package(client):
    html = client.get("/om/").getvalue().decode()
    assert '<h3 id="lisens">Lisens</h3>' in html
    assert "Creative Commons Navngivelse 4.0 (CC BY 4.0)" in html
    assert '<a href="/datapakke.json">Datapakken</a>' in html
    english = client.get("/en/om/").getvalue().decode()
    assert '<h3 id="lisens">Licence</h3>' in english and '<a href="/en/datapakke.json">' in english
