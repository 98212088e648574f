"""In-process render timing and the grid's static copy, through Django's test client."""

import re

import pytest

from ruspolitikk.bench.render import PAGES, RenderError, median_render_ms, write_static_copy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


@pytest.mark.parametrize(("label", "path", "headers"), PAGES)
def test_every_timed_page_renders(client, label, path, headers):
    assert median_render_ms(client, path, headers, renders=3, warmup=1) > 0


def test_a_page_that_does_not_answer_200_stops_the_timing(client):
    with pytest.raises(RenderError, match="GET /parti/finnes-ikke/ answered 404, not 200"):
        median_render_ms(client, "/parti/finnes-ikke/", {}, renders=3)


def without_csrf_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_static_copy_is_the_grid_page(client, tmp_path):
    path = write_static_copy(client, tmp_path)

    assert path == tmp_path / "bench" / "grid.html"
    assert without_csrf_tokens(path.read_bytes()) == without_csrf_tokens(client.get("/").content)
