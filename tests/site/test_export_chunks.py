"""A large export is read a chunk of organisations at a time (a module of its own: no seed data here)."""

import csv
import io
import re

import pytest

from positions import views
from tests.scale import make_scale_world


@pytest.mark.django_db
def test_a_large_export_is_read_a_chunk_of_organisations_at_a_time(client, django_assert_max_num_queries):
    """450 organisations: the rows come in chunks of EXPORT_CHUNK, each chunk one grid read, so
    memory holds one chunk and the queries grow with the chunks, not with the rows."""
    make_scale_world(organisations=450, topics=2)
    chunks = -(-450 // views.EXPORT_CHUNK)
    with django_assert_max_num_queries(5 * chunks):  # topics, organisations (ids, rows), stances, quotes
        body = client.get("/eksport.csv").getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 450 * 2
    assert [row["organisation"] for row in rows[::2]] == [f"p{i:05d}" for i in range(450)]
    assert len(re.findall(r"^p\d{5},", body, re.M)) == 900
