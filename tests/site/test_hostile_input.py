"""Hostile input on every public URL pattern: never a 5xx, never our markup back unescaped.

The patterns come from the URL resolver (everything but ``admin/``), so a new page is covered
the day it is added. Hypothesis fills their path parameters and query strings with hostile
values: long, repeated keys, broken percent-encoding (``%zz``, a lone ``%c3``), NUL, markup,
quotes, SQL, tsquery syntax, unicode; each request is sent as a plain visit and as an htmx
swap, against the real data (``real_data``), on SQLite and on PostgreSQL alike.

Runs are reproducible (``derandomize``) and kept short (a fixed number of examples per
pattern); no example database is written.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parties.models import Organisation
from positions.models import Source, Topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

SKIPPED_PREFIXES = ("admin/",)
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def route_of(pattern) -> str:
    """The literal route of one level of the URLconf, with ``<converter:name>`` placeholders."""
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RegexPattern):
        literal = str(pattern).removeprefix("^").removesuffix("$").replace("\\.", ".")
        if re.search(r"[\\()\[\]*+?{}|^$]", literal) is None:
            return literal
    raise AssertionError(f"Cannot walk URL pattern {pattern!r}: teach route_of() its kind")


def public_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every URL pattern of the site as a route, except the admin's."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + route_of(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            routes += public_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return sorted(set(routes))


ROUTES = public_routes()

# Markup that must never come back as markup; "hostile" marks it as ours.
MARKUP = [
    "<script>hostile()</script>",
    '"><img src=x onerror=hostile()>',
    "'><svg onload=hostile()>",
    "</textarea><script>hostile()</script>",
]
UNESCAPED = ["<script>hostile", "<img src=x onerror=hostile", "<svg onload=hostile"]
HOSTILE_TEXT = MARKUP + [
    "' OR 1=1--",
    '" OR ""="',
    "1; DROP TABLE positions_statement;--",
    "a & | ! :* <-> b",
    "!(a | b) & c:*",
    "<2> <-> ((",
    "\\",
    "%",
    "sprøyterom",
    "ﬁ̈ЖΩ漢字😀\u202e\u200b",
    "\x00",
    "a" * 3000,
]
# Already percent-encoded, some of it broken on purpose; sent exactly as written.
RAW_ENCODED = ["%00", "%zz", "%c3", "%c3%28", "%ff%fe", "%", "%%", "%2e%2e", "%2F", "%3Cscript%3E", "+"]
QUERY_KEYS = ["q", "parti", "tema", "standpunkt", "niva", "o", "p", "page", "next", "%00", "<b>", "a[]"]


def encoded(text: str) -> str:
    return quote(text, safe="")


values = st.one_of(
    st.sampled_from(HOSTILE_TEXT).map(encoded),
    st.sampled_from(RAW_ENCODED),
    st.text(max_size=40).map(encoded),
    st.tuples(st.sampled_from(["sproyterom", "lar", "ap", "v"]), st.sampled_from(HOSTILE_TEXT)).map(
        lambda pair: encoded(f"{pair[0]}:{pair[1]}")
    ),
)
PAGE_KEYS = ["q", "parti", "tema", "standpunkt", "niva"]  # what the pages read
query_strings = st.one_of(
    # One piece of markup where a page reads it, the likeliest to be quoted back.
    st.tuples(st.sampled_from(PAGE_KEYS), st.sampled_from(MARKUP).map(encoded)).map(lambda pair: [pair]),
    st.lists(st.tuples(st.sampled_from(QUERY_KEYS), values), max_size=60),  # past 50 values a key
).map(lambda pairs: "&".join(f"{key}={value}" for key, value in pairs))


@pytest.fixture(scope="module")
def real_slugs(real_data, django_db_blocker) -> dict[str, list[str]]:
    """Real values for path parameters, so hostile queries also reach pages that do real work."""
    with django_db_blocker.unblock():
        return {
            "organisation": list(Organisation.objects.values_list("slug", flat=True)),
            "topic": list(Topic.objects.values_list("slug", flat=True)),
            "source": list(Source.objects.values_list("slug", flat=True)),
        }


def fill(route: str, draw, real_slugs) -> str:
    """The route with each ``<converter:name>`` replaced by a real slug or a hostile segment."""

    def segment(match) -> str:
        real = real_slugs.get(match["name"]) or [slug for slugs in real_slugs.values() for slug in slugs]
        # Mostly real, so the query string meets a page that exists.
        return draw(st.one_of(st.sampled_from(real), st.sampled_from(real), values))

    path = "/" + PARAMETER.sub(segment, route)
    if draw(st.integers(0, 4)) == 0:
        path += "/".join(draw(st.lists(values, min_size=1, max_size=3)))  # extra, repeated segments
    return path


def test_the_walk_finds_the_public_pages_and_skips_the_admin():
    assert {"", "parti/<slug:organisation>/tema/<slug:topic>/", "sok/", "eksport.csv"} <= set(ROUTES)
    assert not [route for route in ROUTES if route.startswith("admin/")]


@pytest.mark.parametrize("route", ROUTES)
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    # ``client`` is function-scoped but keeps nothing between requests that matters here.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_breaks_a_page_or_comes_back_as_markup(client, real_slugs, route, data):
    path = fill(route, data.draw, real_slugs)
    query = data.draw(query_strings)
    headers = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans()) else {}

    response = client.get(path, QUERY_STRING=query, **headers)

    assert response.status_code < 500, (path, query)
    body = response.getvalue().decode("utf-8", errors="replace")
    leaked = [marker for marker in UNESCAPED if marker in body]
    assert not leaked, (path, query, leaked)
