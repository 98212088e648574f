"""Every public page costs the same number of queries at the seed's size and at a few thousand
statements (issue 8): what grows with the data is rows, never queries. Uncached (PAGE_CACHE off),
each page read once per size; the synthetic set keeps the seed's slugs for parties and topics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions.models import Source
from ruspolitikk.synthetic.generate import generate
from tests.conftest import load_real_data

HTMX = {"HX-Request": "true"}
PAGES = {
    "grid": ("/", {}),
    "grid, one level": ("/?niva=county", {}),
    "grid fragment": ("/?standpunkt=lar:for", HTMX),
    "cell": ("/parti/ap/tema/lar/", {}),
    "evidence fragment": ("/parti/ap/tema/lar/", HTMX),
    "organisation": ("/parti/ap/", {}),
    "branch": ("/parti/{branch}/", {}),
    "organisation's sources": ("/parti/ap/kilder/", {}),
    "organisation's branches": ("/parti/ap/lag/", {}),
    "branch list fragment": ("/parti/ap/lag/", HTMX),
    "topic": ("/tema/lar/", {}),
    "topic, one group": ("/tema/lar/?stilling=against&niva=national&niva=county", {}),
    "topic group fragment": ("/tema/lar/?stilling=none", HTMX),
    "source": ("/kilde/{source}/", {}),
    "source text fragment": ("/kilde/{source}/", HTMX),
    "compare": ("/sammenlign/?parti=ap&parti=h&parti=v", {}),
    "search": ("/sok/?q=behandling", {}),
    "search, filtered": ("/sok/?q=rusavhengige&tema=behandling", {}),
    "CSV export": ("/eksport.csv", {}),
    "JSON export": ("/eksport.json", {}),
    "XLSX export": ("/eksport.xlsx", {}),
    "data package": ("/datapakke.json", {}),
}


def query_counts(client) -> dict[str, int]:
    names = {
        "source": Source.objects.filter(organisation__slug="ap").order_by("pk").first().slug,
        "branch": Source.objects.exclude(organisation__level="national")
        .order_by("pk")
        .first()
        .organisation.slug,
    }
    counts = {}
    for page, (path, headers) in PAGES.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path.format(**names), headers=headers)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # a streamed export queries while it streams
        assert response.status_code == 200, (page, response.status_code)
        counts[page] = len(queries)
    return counts


@pytest.mark.django_db
def test_every_public_page_costs_the_same_queries_at_seed_size_and_at_thousands_of_statements(
    client, settings
):
    settings.PAGE_CACHE = False
    # Queries are counted here, not timed: on a loaded machine one query of the larger set may outlive
    # the 1 s deadline, and a cut connection would break every later test of the run.
    settings.DATABASE_DEADLINE = 60
    client.get("/om/")  # one-off per-process queries (content types, versions) are not the pages'
    load_real_data()
    at_seed = query_counts(client)
    generate(seed=1, organisations=120, topics=12, statements=4000)
    at_thousands = query_counts(client)
    assert at_thousands == at_seed
