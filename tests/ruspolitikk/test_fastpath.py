"""The WSGI fast path answers a page-cache hit before Django handles the request, exactly as the full
stack would; everything it cannot decide goes to Django unchanged (ruspolitikk/fastpath.py).

Called here as gunicorn calls it: the WSGI callable, with a WSGI environ."""

import io
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from positions.models import Stance, Status
from ruspolitikk.fastpath import PageCacheFastPath

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

PROXY_HTTPS = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.fixture(autouse=True)
def production_security(settings):
    """make serve's HTTPS settings behind a TLS proxy, so the outer middleware add all their headers."""
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HTTPS
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


@pytest.fixture(autouse=True)
def keep_test_connection():
    """As Django's test client does: the test's transaction must survive the request signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django_app(settings):
    """Django's own WSGI handler, built after the settings above (middleware read them once)."""
    return WSGIHandler()


@pytest.fixture
def app(django_app):
    return PageCacheFastPath(django_app)


def environ(path="/", *, method="GET", query="", host="testserver", https=True, **headers):
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if https:
        env[PROXY_HTTPS[0]] = PROXY_HTTPS[1]
    env.update(headers)
    return env


class Answer:
    def __init__(self, app, env):
        started = []

        def start_response(status, headers, exc_info=None):
            started.append((status, headers))

        body = app(env, start_response)
        try:
            self.content = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()  # as a WSGI server does
        ((self.status, self.headers),) = started
        self.code = int(self.status.split()[0])

    def header(self, name):
        return dict((key.lower(), value) for key, value in self.headers).get(name.lower())


@contextmanager
def django_requests():
    """Counts the requests Django itself handled (its request_started signal)."""
    seen = []

    def receiver(**kwargs):
        seen.append(kwargs["environ"].get("PATH_INFO"))

    request_started.connect(receiver)
    try:
        yield seen
    finally:
        request_started.disconnect(receiver)


@pytest.mark.parametrize(
    "path, query, headers",
    [
        ("/", "", {}),
        ("/", "niva=county", {"HTTP_HX_REQUEST": "true"}),
        ("/parti/ap/tema/lar/", "", {"HTTP_HX_REQUEST": "true"}),
        ("/en/tema/lar/", "", {}),
        ("/sok/", "q=brukerdose", {}),
    ],
)
def test_a_hit_is_served_without_django_and_is_the_full_stacks_answer(app, django_app, path, query, headers):
    miss = Answer(app, environ(path, query=query, **headers))  # rendered by Django, and stored
    with django_requests() as handled:
        hit = Answer(app, environ(path, query=query, **headers))
    assert handled == []
    full_stack_hit = Answer(django_app, environ(path, query=query, **headers))
    assert miss.code == hit.code == full_stack_hit.code == 200
    assert hit.status == miss.status == "200 OK"
    assert hit.headers == miss.headers == full_stack_hit.headers
    assert hit.content == miss.content == full_stack_hit.content


def test_a_hit_has_every_header_the_outer_middleware_add(app):
    Answer(app, environ("/en/"))
    with django_requests() as handled:
        hit = Answer(app, environ("/en/"))
    assert handled == []
    assert hit.header("Strict-Transport-Security").startswith("max-age=3600")
    assert hit.header("X-Content-Type-Options") == "nosniff"
    assert hit.header("Referrer-Policy") == "same-origin"
    assert hit.header("Cross-Origin-Opener-Policy") == "same-origin"
    assert "default-src" in hit.header("Content-Security-Policy")
    assert hit.header("Content-Language") == "en"
    assert "HX-Request" in hit.header("Vary")
    assert hit.header("ETag") and hit.header("Last-Modified") and "public" in hit.header("Cache-Control")
    assert int(hit.header("Content-Length")) == len(hit.content)


def test_equal_questions_share_the_hit(app):
    Answer(app, environ("/", query="tema=lar&parti=ap"))
    with django_requests() as handled:
        hit = Answer(app, environ("/", query="parti=ap&tema=lar"))
    assert handled == [] and hit.code == 200


def test_a_publish_is_visible_at_once(app):
    before = Answer(app, environ("/parti/frp/tema/har/"))
    assert "ikke uttalt" not in before.content.decode()
    stance = Stance.objects.published().get(organisation__slug="frp", topic__slug="har")
    stance.status = Status.DRAFT
    stance.save()  # as the admin's unpublish does: a new data version
    with django_requests() as handled:
        after = Answer(app, environ("/parti/frp/tema/har/"))
    assert handled == ["/parti/frp/tema/har/"]
    assert after.code == 200
    assert after.header("ETag") != before.header("ETag")
    assert "ikke uttalt" in after.content.decode()


def test_a_host_not_allowed_gets_djangos_400_even_for_a_cached_page(app):
    Answer(app, environ("/"))
    with django_requests() as handled:
        answer = Answer(app, environ("/", host="evil.example"))
    assert handled == ["/"]
    assert answer.code == 400


def test_a_conditional_request_gets_djangos_304(app):
    first = Answer(app, environ("/tema/lar/"))
    with django_requests() as handled:
        again = Answer(app, environ("/tema/lar/", HTTP_IF_NONE_MATCH=first.header("ETag")))
        since = Answer(app, environ("/tema/lar/", HTTP_IF_MODIFIED_SINCE=first.header("Last-Modified")))
    assert handled == ["/tema/lar/", "/tema/lar/"]
    assert again.code == since.code == 304
    assert again.content == b""
    assert again.header("ETag") == first.header("ETag")


def test_head_is_a_hit_without_the_body(app):
    get = Answer(app, environ("/om/"))
    with django_requests() as handled:
        head = Answer(app, environ("/om/", method="HEAD"))
    assert handled == []
    assert head.code == 200
    assert head.headers == get.headers
    assert head.content == b""


def test_other_methods_and_pages_that_are_not_public_go_to_django(app):
    Answer(app, environ("/"))
    with django_requests() as handled:
        post = Answer(app, environ("/", method="POST", CONTENT_LENGTH="0"))
        admin = Answer(app, environ("/admin/login/"))
    assert handled == ["/", "/admin/login/"]
    assert post.code == 403  # Django's CSRF check, not a cached page
    assert admin.code == 200 and "private" in admin.header("Cache-Control")


def test_plain_http_is_still_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    app = PageCacheFastPath(WSGIHandler())
    assert Answer(app, environ("/")).code == 200  # over HTTPS (the proxy says so): stored
    with django_requests() as handled:
        plain = Answer(app, environ("/", https=False))
        secure = Answer(app, environ("/"))
    assert handled == ["/"]
    assert plain.code == 301
    assert plain.header("Location") == "https://testserver/"
    assert secure.code == 200


def test_page_cache_off_leaves_every_request_to_django(app, settings):
    settings.PAGE_CACHE = False
    Answer(app, environ("/"))
    with django_requests() as handled:
        again = Answer(app, environ("/"))
    assert handled == ["/"]
    assert again.code == 200


def test_a_broken_address_reaches_django_as_it_came(app):
    """The fast path reads the environ without changing it: Django sees the same bytes."""
    path = "/parti/\xc3\xb8/"  # "ø" as a WSGI server passes it (UTF-8 bytes as Latin-1)
    env = environ(path)
    with django_requests() as handled:
        answer = Answer(app, env)
    assert handled == [path]
    assert answer.code == 404


def test_gunicorn_serves_the_fast_path():
    from ruspolitikk.wsgi import application

    assert isinstance(application, PageCacheFastPath)


def test_static_files_are_left_to_whitenoise_without_a_lookup(app, monkeypatch):
    looked_up = []
    monkeypatch.setattr(PageCacheFastPath, "cached_entry", staticmethod(lambda environ: looked_up.append(1)))
    Answer(app, environ("/static/css/site.css"))
    assert looked_up == []
