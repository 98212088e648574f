"""The exports stream: a StreamingHttpResponse whose body is read a chunk of organisations at a time,
the same bytes as the in-memory export at seed size, and the page cache keeps a streamed export only
while it is small and only once it has all been sent."""

import json

import pytest
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from positions import export, views
from positions.grid import build_grid

QUERIES = ["", "niva=county", "standpunkt=sproyterom:for&tema=lar&tema=tvang", "parti=ap&parti=v"]


def today(query: str) -> list[dict]:
    """The rows as the export built them before it streamed: the whole grid in memory."""
    filters = views.parse_grid_filters(QueryDict(query))
    return export.export_rows(build_grid(**filters.grid_kwargs()), base_url="http://testserver")


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
class TestSeedSize:
    @pytest.mark.parametrize("query", QUERIES)
    def test_the_streamed_csv_is_byte_for_byte_todays(self, client, query):
        response = client.get(f"/eksport.csv?{query}")
        assert response.streaming
        assert response.getvalue().decode() == export.to_csv(today(query))

    @pytest.mark.parametrize("query", QUERIES)
    def test_the_streamed_json_is_byte_for_byte_todays(self, client, query):
        response = client.get(f"/eksport.json?{query}")
        assert response.streaming
        body = response.getvalue().decode()
        document = json.loads(body)
        filters = views.parse_grid_filters(QueryDict(query))
        expected = export.to_json(
            today(query),
            filters=export.applied_filters(filters.grid_kwargs(), filters.querystring()),
            generated=parse_datetime(document["generated"]),
        )
        assert body == expected

    def test_an_empty_export_is_still_valid_json_with_no_rows(self, client):
        body = client.get("/eksport.json?parti=finnes-ikke").getvalue().decode()
        assert json.loads(body)["rows"] == []
        assert '"rows": []\n}\n' in body

    def test_the_xlsx_is_sent_from_a_file_in_blocks(self, client):
        response = client.get("/eksport.xlsx")
        assert response.streaming
        assert response.getvalue()[:2] == b"PK"

    def test_a_small_streamed_export_is_stored_once_sent_and_then_served_without_the_database(
        self, client, django_assert_num_queries
    ):
        first = client.get("/eksport.csv?niva=county")
        assert first.has_header("ETag") and "public" in first["Cache-Control"]
        body = first.getvalue()  # sent in full: now it is stored
        with django_assert_num_queries(0):
            again = client.get("/eksport.csv?niva=county")
        assert again.getvalue() == body
        assert again["ETag"] == first["ETag"]
        assert again["Content-Disposition"] == 'attachment; filename="ruspolitikk.csv"'
        assert client.get("/eksport.csv?niva=county", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    def test_an_export_the_client_stopped_reading_is_not_stored(self, client, django_assert_num_queries):
        first = client.get("/eksport.json")
        # The first piece, then the client goes away (response.close() would also end the test's
        # database connection, as it ends a request in production).
        next(iter(first.streaming_content))
        again = client.get("/eksport.json")
        assert again.streaming  # rendered again, not a stored half
        assert json.loads(again.getvalue())["rows"]

    def test_an_export_larger_than_the_limit_is_sent_whole_but_not_stored(self, client, settings):
        settings.PAGE_CACHE_MAX_STREAMED_BYTES = 1000
        body = client.get("/eksport.csv").getvalue()
        assert len(body) > 1000 and body.endswith(b"\r\n")
        again = client.get("/eksport.csv")
        assert again.streaming  # not from the cache: streamed again
        assert again.getvalue() == body
