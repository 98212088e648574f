"""/eksport.csv and /eksport.json give exactly the rows of the grid the visitor is looking at."""

import csv
import io
import json

import pytest
from django.http import QueryDict

from positions import export
from positions.filters import parse_grid_filters
from positions.grid import build_grid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

QUERIES = [
    "",
    "niva=county",
    "parti=v&parti=horten-venstre&tema=lar",
    "standpunkt=sproyterom:for&standpunkt=tvang:against&niva=national&niva=county&niva=municipal&niva=youth",
    "tema=behandling&standpunkt=behandling:for",
]


def expected_rows(query: str) -> list[dict]:
    grid = build_grid(**parse_grid_filters(QueryDict(query)).grid_kwargs())
    return export.export_rows(grid, base_url="http://testserver")


@pytest.mark.parametrize("query", QUERIES)
def test_json_export_is_the_filtered_grid(client, query):
    response = client.get(f"/eksport.json?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.getvalue())["rows"] == expected_rows(query)


@pytest.mark.parametrize("query", QUERIES)
def test_csv_export_is_the_filtered_grid(client, query):
    response = client.get(f"/eksport.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.getvalue().decode()  # a streamed body can be read once
    assert body == export.to_csv(expected_rows(query))
    reader = csv.DictReader(io.StringIO(body))
    assert reader.fieldnames == export.CSV_COLUMNS


def test_unfiltered_export_has_one_row_per_national_cell(client):
    rows = json.loads(client.get("/eksport.json").getvalue())["rows"]
    assert len(rows) == 9 * 14
    assert {row["level"] for row in rows} == {"national"}


def test_export_rows_match_what_the_grid_page_shows(client):
    query = "standpunkt=sproyterom:for&niva=national&niva=county&niva=municipal"
    html = client.get(f"/?{query}").getvalue().decode()
    rows = json.loads(client.get(f"/eksport.json?{query}").getvalue())["rows"]
    for row in rows:
        assert f'href="/parti/{row["organisation"]}/tema/{row["topic"]}/"' in html
    assert {row["organisation"] for row in rows} == {"r", "innlandet-venstre", "horten-venstre"}


def test_export_links_on_the_page_carry_the_filters(client):
    html = client.get("/?standpunkt=lar:for").getvalue().decode()
    assert 'href="/eksport.csv?standpunkt=lar%3Afor"' in html
    assert 'href="/eksport.json?standpunkt=lar%3Afor"' in html


@pytest.mark.parametrize("url", ["/eksport.csv?standpunkt=foo", "/eksport.json?niva=mars"])
def test_bad_export_filters_are_400_in_plain_text(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("standpunkt=<script>alert(1)</script>:for", "standpunkt"),
        ("parti=<img src=x onerror=alert(1)>", "parti"),
        ('niva="><svg onload=alert(1)>', "niva"),
        ("tema=' OR 1=1--", "tema"),
    ],
)
def test_a_bad_export_filter_is_named_but_never_echoed(client, query, parameter):
    for url in ["/eksport.csv", "/eksport.json"]:
        response = client.get(url, QUERY_STRING=query)
        body = response.getvalue().decode()
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert body == (
            f"Filteret «{parameter}» i adressen er ikke gyldig. "
            "Se http://testserver/om/#apne-data for filtrene og verdiene."
        )
