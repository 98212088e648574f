"""One leg's plan, and the warm-up that refuses to measure error pages."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ruspolitikk.bench.leg import LONG_RUN, TARGETS, Plan, Target, runs, warm_up
from ruspolitikk.bench.report import STATIC
from ruspolitikk.bench.server import Server, ServerError

STATIC_COPY = Target("grid as static file", "/static/bench/grid.html")


def test_uncached_server_loads_every_page_at_each_number_of_clients():
    planned = runs(Plan(), page_cache=False, static=STATIC_COPY)

    assert [(run.target.page, run.clients) for run in planned[:3]] == [
        ("grid", 1),
        ("grid", 16),
        ("grid", 64),
    ]
    assert len(planned) == len(TARGETS) * 3
    assert {run.cache for run in planned} == {"off"}
    assert {run.duration_s for run in planned} == {5}


def test_cached_server_also_loads_the_static_copy_and_the_grid_for_a_minute():
    planned = runs(Plan(), page_cache=True, static=STATIC_COPY)

    assert [(run.cache, run.target, run.clients) for run in planned[-4:]] == [
        (STATIC, STATIC_COPY, 1),
        (STATIC, STATIC_COPY, 16),
        (STATIC, STATIC_COPY, 64),
        ("on", LONG_RUN, 64),
    ]
    assert planned[-1].duration_s == 60
    assert runs(Plan(long_duration_s=0), page_cache=True, static=STATIC_COPY)[-1].cache == STATIC


def test_default_plan_keeps_both_databases_within_a_quarter_of_an_hour():
    plan = Plan()
    load_seconds = sum(
        run.duration_s for cache in (False, True) for run in runs(plan, page_cache=cache, static=STATIC_COPY)
    )

    assert load_seconds == 255  # per database; start-up, loading and renders add about a minute


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 200 if self.path == "/" and self.headers.get("X-Forwarded-Proto") == "https" else 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    log = tmp_path / "gunicorn.log"
    log.write_text("")
    yield Server(httpd.server_address[1], log)
    httpd.shutdown()
    httpd.server_close()


def test_warm_up_passes_when_every_page_answers_200_as_from_the_proxy(server):
    warm_up(server, [Target("grid", "/")])


def test_warm_up_stops_the_leg_at_a_page_that_does_not_answer_200(server):
    with pytest.raises(ServerError, match="GET /tema/finnes-ikke/ answered 404, not 200"):
        warm_up(server, [Target("grid", "/"), Target("topic", "/tema/finnes-ikke/")])
