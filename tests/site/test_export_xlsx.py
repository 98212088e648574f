"""/eksport.xlsx: the CSV's rows and columns, in a workbook Excel opens with ø and å intact."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from positions import export
from tests.factories import make_organisation, make_stance, make_statement, make_topic

QUERIES = [
    "",
    "niva=county",
    "parti=v&parti=horten-venstre&tema=lar",
    "standpunkt=sproyterom:for&standpunkt=tvang:against&niva=national&niva=county&niva=municipal&niva=youth",
    "niva=youth",  # Senterungdommen: the one source dated to the day
]


def workbook(client, query=""):
    response = client.get(f"/eksport.xlsx?{query}")
    assert response.status_code == 200
    response.body = response.getvalue()  # a streamed body can be read once
    return response, load_workbook(io.BytesIO(response.body)).active


def as_text(value) -> str:
    """A cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
class TestRealData:
    @pytest.mark.parametrize("query", QUERIES)
    def test_the_rows_and_columns_are_the_csvs(self, client, query):
        _response, sheet = workbook(client, query)
        csv_rows = list(csv.reader(io.StringIO(client.get(f"/eksport.csv?{query}").getvalue().decode())))
        sheet_rows = [[as_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        assert sheet_rows == csv_rows
        assert len(sheet_rows) > 1

    def test_it_is_an_attachment_excel_recognises(self, client):
        response, _sheet = workbook(client)
        assert response["Content-Type"] == export.XLSX_CONTENT_TYPE
        assert response["Content-Disposition"] == 'attachment; filename="ruspolitikk.xlsx"'
        assert response.body[:2] == b"PK"  # a zip, as every XLSX

    def test_the_header_is_bold_frozen_and_filtered(self, client):
        _response, sheet = workbook(client)
        assert [cell.value for cell in sheet[1]] == export.CSV_COLUMNS
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert sheet.auto_filter.ref.startswith("A1:")

    def test_cells_are_typed(self, client):
        _response, sheet = workbook(client, "niva=youth")
        columns = {name: index for index, name in enumerate(export.CSV_COLUMNS)}
        rows = list(sheet.iter_rows(min_row=2))
        numbers = [row[columns["quote_number"]] for row in rows if row[columns["quote_number"]].value]
        assert numbers and all(cell.data_type == "n" and isinstance(cell.value, int) for cell in numbers)
        dates = [row[columns["source_date"]] for row in rows if row[columns["source_date"]].value]
        assert dates and all(cell.is_date for cell in dates)
        assert {cell.value for cell in dates} == {datetime.datetime(2020, 5, 26)}
        assert dates[0].number_format == export.XLSX_DATE_FORMAT
        quotes = [row[columns["quote"]] for row in rows if row[columns["quote"]].value]
        assert quotes and all(cell.data_type == "s" for cell in quotes)
        assert any("ø" in cell.value or "å" in cell.value for cell in quotes)

    def test_a_source_not_dated_to_the_day_keeps_its_label_as_text(self, client):
        _response, sheet = workbook(client, "parti=krf&parti=frp")
        column = export.CSV_COLUMNS.index("source_date")
        labels = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)} - {None}
        assert labels == {"udatert", "2017–2021"}

    def test_a_bad_filter_is_400_in_plain_text(self, client):
        response = client.get("/eksport.xlsx?niva=mars")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"

    def test_the_grid_links_to_it_with_its_filters(self, client):
        html = client.get("/?standpunkt=lar:for").getvalue().decode()
        assert 'href="/eksport.xlsx?standpunkt=lar%3Afor" download>Excel (XLSX)</a>' in html


@pytest.mark.django_db
def test_a_quote_that_looks_like_a_formula_stays_text(client):
    topic = make_topic(slug="formeltema")
    organisation = make_organisation(slug="formel")
    statement = make_statement(
        organisation=organisation, text='=HYPERLINK("http://example.com","Klikk")', topics=[topic]
    )
    make_stance(organisation=organisation, topic=topic, value="for", summary="=1+1", evidence=[statement])
    _response, sheet = workbook(client, "parti=formel&tema=formeltema")
    [row] = sheet.iter_rows(min_row=2)
    by_name = dict(zip(export.CSV_COLUMNS, row, strict=True))
    assert by_name["quote"].value == '=HYPERLINK("http://example.com","Klikk")'
    assert by_name["quote"].data_type == "s" and by_name["summary"].data_type == "s"


@pytest.mark.django_db
def test_the_about_page_sends_excel_users_to_the_xlsx(client):
    html = client.get("/om/").getvalue().decode()
    assert "RFC 4180: UTF-8 uten byte-order mark" in html
    assert 'Bruker du Excel, ta <a href="/eksport.xlsx">XLSX-filen</a> i stedet' in html
    english = client.get("/en/om/").getvalue().decode()
    assert '<a href="/en/eksport.xlsx">XLSX file</a>' in english


@pytest.mark.django_db
def test_the_csv_stays_standard(client):
    body = client.get("/eksport.csv?parti=ap").getvalue()
    assert not body.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    assert b"\r\n" in body and body.decode("utf-8")
