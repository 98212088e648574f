"""A streamed export reads its later chunks after the view has returned, outside the request's
query deadline: each of those queries has a deadline of its own (``DATABASE_STREAM_DEADLINE``), on
PostgreSQL (the watchdog cuts the socket) and on SQLite (SQLite interrupts the statement)."""

import csv
import io
import time

import pytest
from django.db import DatabaseError, connection

from positions import views
from ruspolitikk.db import deadline
from ruspolitikk.db.streaming import bounded_stream
from tests.scale import make_scale_world


@pytest.fixture(autouse=True)
def closed_breaker(monkeypatch):
    monkeypatch.setattr(deadline, "breaker", deadline.Breaker())


def slow_query(seconds: float) -> None:
    """A real query that takes about ``seconds`` (on SQLite: at least that, counting rows)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(%s)", [seconds])
        else:
            rows = int(seconds * 20_000_000)  # far more than ``seconds`` on any machine we run
            cursor.execute(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %s) "
                "SELECT count(*) FROM n",
                [rows],
            )
        cursor.fetchall()


@pytest.fixture
def slow_later_chunks(monkeypatch):
    """Six organisations exported two at a time; reading a chunk after the first runs ``slow[0]``
    seconds of real query first. The first chunk is read by the view itself."""
    make_scale_world(organisations=6, topics=2)
    monkeypatch.setattr(views, "EXPORT_CHUNK", 2)
    slow = [0.0]
    build_grid = views.build_grid

    def build_grid_slowly(**kwargs):
        if kwargs.get("page", 1) > 1 and slow[0]:
            slow_query(slow[0])
        return build_grid(**kwargs)

    monkeypatch.setattr(views, "build_grid", build_grid_slowly)
    return slow


@pytest.mark.django_db(transaction=True)
def test_a_runaway_query_of_a_streamed_export_is_stopped_at_the_stream_deadline(
    client, settings, slow_later_chunks
):
    settings.DATABASE_STREAM_DEADLINE = 0.3
    slow_later_chunks[0] = 30
    response = client.get("/eksport.csv")
    assert response.status_code == 200 and response.streaming
    pieces = iter(response.streaming_content)
    started = time.monotonic()
    with pytest.raises(DatabaseError):
        for _piece in pieces:
            pass
    assert time.monotonic() - started < 5  # stopped near 0.3 s, not after the query's 30 s
    connection.close()  # on PostgreSQL the watchdog cut its socket
    if connection.vendor == "postgresql":
        assert server_stops_sleeping(), "the server should have been asked to cancel the query too"


def server_stops_sleeping() -> bool:
    """No backend of the server still runs the cut query (the cancel request reached it)."""
    for _attempt in range(50):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%%' "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            )
            if not cursor.fetchone()[0]:
                return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_streamed_export_is_not_held_to_the_requests_short_deadline(client, settings, slow_later_chunks):
    """Each later chunk takes longer than a request's query may (on PostgreSQL), well within the
    stream's own deadline: the export is sent whole."""
    settings.DATABASE_DEADLINE = 0.1
    settings.DATABASE_STREAM_DEADLINE = 10
    slow_later_chunks[0] = 0.3
    body = client.get("/eksport.csv").getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["organisation"] for row in rows[::2]] == [f"p{i:05d}" for i in range(6)]


@pytest.mark.django_db(transaction=True)
def test_bounded_stream_gives_each_query_its_own_deadline_not_the_whole_stream():
    def pieces():
        for number in range(3):
            slow_query(0.2 if connection.vendor == "postgresql" else 0.01)
            yield number

    started = time.monotonic()
    assert list(bounded_stream(pieces(), seconds=5)) == [0, 1, 2]
    assert time.monotonic() - started < 5

    def runaway():
        yield "first"
        slow_query(30)
        yield "never"

    stream = bounded_stream(runaway(), seconds=0.2)
    assert next(stream) == "first"
    started = time.monotonic()
    with pytest.raises(DatabaseError):
        next(stream)
    assert time.monotonic() - started < 5
    connection.close()


@pytest.mark.django_db
def test_outside_a_stream_no_progress_handler_is_left_behind():
    """SQLite: the interrupting handler is removed after each query, so later queries run freely."""

    def pieces():
        slow_query(0.001)
        yield 1

    assert list(bounded_stream(pieces(), seconds=0.5)) == [1]
    slow_query(1)  # longer than the stream's deadline, outside it: not interrupted
