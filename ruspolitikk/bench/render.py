"""In-process render times, and the static copy of the grid.

Run in a subprocess with the benchmark's production environment (``PAGE_CACHE=0``, so every
render is a cache miss)::

    python -m ruspolitikk.bench.render --renders 30 --static-copy

It renders each page ``renders`` times through Django's test client, which runs the whole
middleware stack and the view but no server or socket, and prints one JSON object: the median
milliseconds per page and, with ``--static-copy``, the file and URL of a copy of the grid's HTML written
into ``STATIC_ROOT``, where WhiteNoise will serve it as a static file once gunicorn starts.
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

HTMX = {"HX-Request": "true"}
PAGES = (
    ("grid", "/", {}),
    ("cell fragment", "/parti/ap/tema/lar/", HTMX),
    ("search", "/sok/?q=brukerdose", {}),
)
STATIC_COPY = "bench/grid.html"
VALGOMAT_ANSWERS = ("helt-enig", "delvis-uenig", "noytral", "helt-uenig", "delvis-enig")


class RenderError(Exception):
    """A page did not answer 200."""


def render(client, path: str, headers: dict[str, str]) -> bytes:
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise RenderError(f"GET {path} answered {response.status_code}, not 200")
    return response.content


def median_render_ms(client, path: str, headers: dict[str, str], *, renders: int, warmup: int = 2) -> float:
    """The median of ``renders`` timed renders, after ``warmup`` untimed ones (templates, imports)."""
    for _ in range(warmup):
        render(client, path, headers)
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        render(client, path, headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def valgomat_result_path(*, all_levels: bool = False) -> str:
    """A voter who answered every topic in the database (cycling through the scale) and marked
    every third important: the result page's full work, whatever the topics are."""
    from urllib.parse import urlencode

    from positions.models import Topic

    slugs = list(Topic.objects.values_list("slug", flat=True))
    pairs = [
        ("svar", f"{slug}:{VALGOMAT_ANSWERS[i % len(VALGOMAT_ANSWERS)]}") for i, slug in enumerate(slugs)
    ]
    pairs += [("viktig", slug) for slug in slugs[::3]]
    if all_levels:
        pairs += [("niva", level) for level in ("national", "county", "municipal", "youth")]
    return "/valgomat/resultat/?" + urlencode(pairs)


def valgomat_render_ms(client, *, renders: int) -> dict[str, float]:
    """The valgomat's result page, a cache miss: national parties (the default) and every level."""
    return {
        "valgomat result": median_render_ms(client, valgomat_result_path(), {}, renders=renders),
        "valgomat result, all levels": median_render_ms(
            client, valgomat_result_path(all_levels=True), {}, renders=renders
        ),
    }


def write_static_copy(client, static_root: Path) -> Path:
    """Write the grid's HTML where collectstatic put the static files."""
    target = static_root / STATIC_COPY
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render(client, "/", {}))
    return target


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--static-copy", action="store_true")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruspolitikk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from ruspolitikk.bench.server import HOST, PROXY_HEADERS

    client = Client(headers={"Host": HOST, **PROXY_HEADERS})
    result = {
        "render_ms": {
            label: median_render_ms(client, path, headers, renders=options.renders)
            for label, path, headers in PAGES
        }
        | valgomat_render_ms(client, renders=options.renders)
    }
    if options.static_copy:
        result["static_copy"] = {
            "file": str(write_static_copy(client, Path(settings.STATIC_ROOT))),
            "url": settings.STATIC_URL + STATIC_COPY,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
