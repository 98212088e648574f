"""A shared cache of rendered public pages, with HTTP validators tied to the data's version.

Public pages are the same for everyone who asks the same question, so each is rendered once per
version of the published data and then served from a cache that every worker and every app server
shares (Django's cache framework: a file-based cache on one machine by default, Redis via
``CACHE_URL`` past one machine; see ``ruspolitikk.settings``). Nothing is kept in a process.

The data's version is a random token in the ``versions`` cache, stamped with the time it changed.
Every write to the public data (``parties`` and ``positions`` models: save, delete, M2M change) calls
``data_changed``, which replaces the token at once and again when the transaction commits, so:

- a page is stored under the token read *before* its data was read: a render that raced a publish
  is stored under a token that is already dead and is never served;
- the first bump hides the old pages while the transaction is open, the second one the pages
  rendered from pre-commit data in the meantime; once the publishing request has answered, every
  worker on every server sees the new token;
- a lost token (cache flushed, entry culled) only means a new one: misses, never stale pages.

``PageCacheMiddleware`` does the work for the views marked with ``public_page``, and
``PageStoreMiddleware``, outermost, stores what it rendered as the client gets it; a hit is answered
before Django handles the request by ``ruspolitikk.fastpath`` (gunicorn's WSGI application).
Every public page answers with ``Cache-Control: public`` (short ``max-age``,
``stale-while-revalidate``), a weak ``ETag`` (version + page) and ``Last-Modified`` (when the version
changed), and ``304 Not Modified`` to a matching conditional request: all without touching the
database, so cached pages and 304s keep answering while the database is down.

The key is the page (scheme, host, path, which includes the language prefix), its canonical query
(each view says how to normalise its parameters: order, repeats, defaults and case, so equal
questions share one entry) and whether htmx asked for the fragment. ``PAGE_CACHE=0`` switches the
store off (the benchmark's cache-miss path); validators and 304s stay.

A streamed response (the exports) gets the same validators and is stored *as it streams*: its
chunks are copied on their way out, up to ``PAGE_CACHE_MAX_STREAMED_BYTES``; a body that grows past
that is no longer copied and never stored (the next request streams it again), and one the client
stopped reading halfway is not stored either. So a small export is served from the cache like any
page, and a national one costs at most that much memory on its way through.
"""

import functools
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.db import connection, transaction
from django.dispatch import Signal
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

VERSION_KEY = "data-version"
CACHED_STATUS = 200
# Headers that are per response, not per page: never stored.
_NOT_STORED = {"date", "set-cookie"}


@dataclass(frozen=True)
class DataVersion:
    token: str
    changed_at: int  # Unix time, whole seconds (HTTP dates have no finer resolution)


def _new_version() -> tuple[str, int]:
    return secrets.token_hex(8), int(time.time())


def current_version() -> DataVersion:
    """The data's version as every worker sees it; made (once, atomically) if there is none."""
    store = caches["versions"]
    value = store.get(VERSION_KEY)
    if value is None:
        value = _new_version()
        if not store.add(VERSION_KEY, value, timeout=None):
            value = store.get(VERSION_KEY) or value
    return DataVersion(*value)


def data_key(name: str) -> str:
    """A shared-cache key for ``name``, something read from the public data: this release, this
    database (one cache directory may serve several, and a database rebuilt by another process keeps
    its version) and the data's current version. Call it *before* reading the data, so a read that
    raced a publish is kept under a version that is already dead and never used."""
    where = connection.settings_dict
    database = f"{connection.vendor}:{where['HOST']}:{where['PORT']}:{where['NAME']}"
    database = hashlib.sha256(database.encode()).hexdigest()[:12]
    return f"{name}:{release()}:{database}:{current_version().token}"


def kept_per_data_version(name: str, read, *, fresh: bool = False):
    """``read()``, kept in the shared cache under ``data_key(name)`` while the data has not changed
    (``fresh``: read anew, and keep that). Kept with ``PAGE_CACHE=0`` too: it is data, not a
    rendered answer. A day's timeout only bounds the space: a new version makes the key dead."""
    key = data_key(name)  # before the data is read
    store = caches["default"]
    found = None if fresh else store.get(key)
    if found is None:
        found = read()
        store.set(key, found, timeout=24 * 3600)
    return found


def _bump() -> None:
    caches["versions"].set(VERSION_KEY, _new_version(), timeout=None)


# Sent (no arguments) once a change to the public data has committed and its new version is the
# one every worker sees: the moment to prepare what the next request will ask for.
data_committed = Signal()


def _bump_committed() -> None:
    _bump()
    data_committed.send(sender=None)


def data_changed() -> None:
    """Public data changed: new version now, and again when the surrounding transaction commits."""
    _bump()
    transaction.on_commit(_bump_committed)


def data_changed_receiver(sender, raw=False, **kwargs) -> None:
    """Signal receiver for save, delete and M2M changes of the public data's models."""
    if raw:
        return  # loaddata: ``load_data`` calls data_changed() once when it is done
    data_changed()


@functools.cache
def release() -> str:
    """What renders the pages: a deploy with other templates, translations, code or static files
    gets other keys and ETags, so pages cached by the previous release are not served by this one."""
    base = Path(settings.BASE_DIR)
    patterns = ("templates/**/*.html", "locale/**/*.mo", "static/**/*", "*/*.py", "*/templatetags/*.py")
    digest = hashlib.sha256()
    for path in sorted({p for pattern in patterns for p in base.glob(pattern) if p.is_file()}):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def _store_as_it_streams(response, store, key: str) -> None:
    """Copy a streamed body on its way out and store it once it has all gone, if it stayed small."""
    limit = settings.PAGE_CACHE_MAX_STREAMED_BYTES
    status, headers = (
        response.status_code,
        [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED],
    )
    chunks = response.streaming_content  # bytes, one piece at a time

    def copying():
        kept, size = [], 0
        for chunk in chunks:
            if kept is not None:
                size += len(chunk)
                if size <= limit:
                    kept.append(chunk)
                else:
                    kept = None  # too big to keep: let it go by
            yield chunk
        if kept is not None:  # only reached when the whole body was sent
            store.set(key, (status, headers, b"".join(kept)), timeout=settings.PAGE_CACHE_TIMEOUT)

    response.streaming_content = copying()


# --- the view decorator -----------------------------------------------------------------------


def wants_fragment(request) -> bool:
    """An htmx swap, not htmx restoring history (which needs the full page)."""
    meta = request.META  # not request.headers, which copies every header: this runs on every hit
    return meta.get("HTTP_HX_REQUEST") == "true" and not meta.get("HTTP_HX_HISTORY_RESTORE_REQUEST")


def no_query(query: QueryDict) -> str:
    """For pages that read no parameters: every query string is the same page."""
    return ""


def _freeze(response: HttpResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    return response.status_code, headers, response.content


def _thaw(entry) -> HttpResponse:
    status, headers, content = entry
    return HttpResponse(content, status=status, headers=dict(headers))


def _storable(response: HttpResponse) -> bool:
    """Only a 200 that says nothing personal: no cookie, not private, not varying by cookie."""
    if response.status_code != CACHED_STATUS or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    vary = response.get("Vary", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control and "cookie" not in vary


def _add_validators(response: HttpResponse, *, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.PAGE_CACHE_STALE_IF_ERROR,
    )


def public_page(canonical_query: Callable[[QueryDict], str]):
    """Mark a GET view as a public page that ``PageCacheMiddleware`` serves from the shared cache.

    ``canonical_query(request.GET)`` returns the query string that names the same page for every
    equal question (the page also links to its other languages with it, as
    ``request.canonical_query``); if it raises ``ValueError`` the view runs uncached and answers
    the error itself.
    """

    def decorator(view):
        view.canonical_query = canonical_query
        return view

    return decorator


_UNCACHED = None


@functools.lru_cache(maxsize=2048)
def _canonical_query(language: str, path_info: str, query_string: bytes) -> str | None:
    """The page's canonical query, or None for what is not a cacheable public page (another view,
    no such address, or a question the page will answer with an error).

    Memoised: the URL configuration and the canonical forms never change while a process runs,
    and URL matching and parsing were a third of a cache hit. (The language is part of the key:
    i18n_patterns match differently per active language, so it is active while matching.)
    """
    try:
        with translation.override(language):
            canonical = getattr(resolve(path_info).func, "canonical_query", None)
    except Resolver404:
        return _UNCACHED
    if canonical is None:
        return _UNCACHED
    try:
        return canonical(QueryDict(query_string))
    except ValueError:
        return _UNCACHED


@dataclass(frozen=True)
class Page:
    """Where a public page's answer lives: its canonical query, store key, ETag and data version."""

    query: str
    key: str
    etag: str
    version: DataVersion


def find_page(request, language: str) -> Page | None:
    """The cache's name for what ``request`` asks, or None if it is not a cacheable public page.

    The one place the key is made: ``PageCacheMiddleware`` and the WSGI fast path
    (``ruspolitikk.fastpath``) both call it. Raises ``DisallowedHost`` for a Host not allowed.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    raw_query = get_bytes_from_wsgi(request.environ, "QUERY_STRING", "")  # as request.GET reads it
    query = _canonical_query(language, request.path_info, raw_query)
    if query is None:
        return None
    version = current_version()  # before any data is read: see the module docstring
    fragment = "fragment" if wants_fragment(request) else "page"
    page = f"{request.scheme}://{request.get_host()}{request.path}?{query}#{fragment}"
    digest = hashlib.sha256(page.encode()).hexdigest()
    return Page(
        query=query,
        key=f"page:{release()}:{version.token}:{digest}",
        etag=f'W/"{release()}-{version.token}-{digest[:16]}"',
        version=version,
    )


def stored_entry(page: Page):
    """The stored final response (status, headers, body) for ``page``, or None."""
    return caches["default"].get(page.key) if settings.PAGE_CACHE else None


class PageCacheMiddleware:
    """Serves public pages (views marked with ``public_page``) from the shared page cache.

    Placed right after the language is known from the URL and before everything else, so a cached
    page costs a URL match and two cache reads. Only 200 responses are given validators and stored;
    the storing itself is left to ``PageStoreMiddleware``, outermost, so that the entry is the final
    response with every middleware's headers, which the WSGI fast path can serve as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        page = find_page(request, get_language())
        if page is None:
            return self.get_response(request)
        request.canonical_query = page.query
        changed_at = page.version.changed_at

        not_modified = get_conditional_response(request, etag=page.etag, last_modified=changed_at)
        if not_modified is not None:
            _add_validators(not_modified, etag=page.etag, last_modified=changed_at)
            patch_vary_headers(not_modified, ("HX-Request",))
            return not_modified

        entry = stored_entry(page)
        if entry is not None:
            return _thaw(entry)  # the final response: the outer middleware's headers are all there
        response = self.get_response(request)
        if _storable(response):
            _add_validators(response, etag=page.etag, last_modified=changed_at)
            if settings.PAGE_CACHE:
                request.page_cache_key = page.key  # PageStoreMiddleware stores it on the way out
        return response


class PageStoreMiddleware:
    """Outermost: stores the response ``PageCacheMiddleware`` rendered, as the client receives it.

    The middleware outside ``PageCacheMiddleware`` (security headers, Content-Language) only add
    headers a stored entry already has (they set them only when missing), so an entry served again
    through the stack and one served by the fast path are the same response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is not None and _storable(response):
            if response.streaming:
                _store_as_it_streams(response, caches["default"], key)
            else:
                caches["default"].set(key, _freeze(response), timeout=settings.PAGE_CACHE_TIMEOUT)
        return response
