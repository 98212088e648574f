"""The WSGI fast path under a real gunicorn (make serve's settings, HTTPS redirect on, behind a TLS
proxy): a cached page answers as the full stack did, and everything that must happen before a
response still happens (ruspolitikk/fastpath.py; tests/ruspolitikk/test_fastpath.py calls it
directly and proves that hits skip Django)."""

import pytest

from tests.served import HOST, served_site

HTTPS = {"X-Forwarded-Proto": "https"}  # what the proxy in front says


@pytest.fixture(scope="module")
def site():
    with served_site(SECURE_SSL_REDIRECT="1") as site:
        yield site


def without_date(headers: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() != "date"}


def test_a_cached_page_answers_with_the_full_stacks_headers_and_body(site):
    first = site.get("/tema/lar/", HTTPS)  # rendered by Django
    hits = [site.get("/tema/lar/", HTTPS) for _ in range(10)]  # both workers, from the cache
    assert first.status == 200
    for hit in hits:
        assert hit.status == 200
        assert without_date(hit.headers) == without_date(first.headers)
        assert hit.body == first.body
    headers = hits[-1].headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Cross-Origin-Opener-Policy"]
    assert "default-src" in headers["Content-Security-Policy"]
    assert headers["Content-Language"] == "nb"
    assert "Set-Cookie" not in headers


def test_the_htmx_fragment_and_the_english_page_are_their_own_entries(site):
    page = site.get("/", HTTPS)
    fragment = [site.get("/", {**HTTPS, "HX-Request": "true"}) for _ in range(3)][-1]
    english = [site.get("/en/", HTTPS) for _ in range(3)][-1]
    assert "<html" in page.body and "<html" not in fragment.body
    assert english.headers["Content-Language"] == "en" and 'lang="en"' in english.body
    assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in page.headers["Vary"]
    assert len({page.headers["ETag"], fragment.headers["ETag"], english.headers["ETag"]}) == 3


def test_plain_http_is_redirected_to_https(site):
    site.get("/", HTTPS)
    reply = site.get("/")
    assert reply.status == 301
    assert reply.headers["Location"] == f"https://{HOST}/"


def test_a_host_not_allowed_gets_400_even_for_a_cached_page(site):
    site.get("/", HTTPS)
    reply = site.get("/", {**HTTPS, "Host": "evil.example"})
    assert reply.status == 400
    assert "evil.example" not in reply.body


def test_a_conditional_request_gets_304(site):
    etag = site.get("/om/", HTTPS).headers["ETag"]
    reply = site.get("/om/", {**HTTPS, "If-None-Match": etag})
    assert reply.status == 304
    assert reply.body == ""


def test_head_gets_the_headers_without_the_body(site):
    get = [site.get("/om/", HTTPS) for _ in range(3)][-1]
    head = site.get("/om/", HTTPS, method="HEAD")
    assert head.status == 200
    assert head.body == ""
    assert without_date(head.headers) == without_date(get.headers)


def test_a_publish_from_another_process_is_seen_at_once(site):
    path = "/parti/frp/tema/har/"
    logged = len(site.log())
    before = [site.get(path, HTTPS) for _ in range(6)]
    assert all(reply.status == 200 and "ikke uttalt" not in reply.body for reply in before)
    site.manage(
        "shell",
        "--no-imports",
        "-c",
        "from positions.models import Stance, Status; "
        "s = Stance.objects.get(organisation__slug='frp', topic__slug='har'); "
        "s.status = Status.DRAFT; s.save()",
    )
    after = [site.get(path, HTTPS) for _ in range(6)]
    assert all(reply.status == 200 and "ikke uttalt" in reply.body for reply in after)
    assert "Traceback" not in site.log()[logged:]
