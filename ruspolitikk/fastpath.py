"""Cached public pages answered at the WSGI layer, before Django handles the request.

A page-cache hit through Django still pays for the request_started and request_finished signals
(which check every database connection), the whole middleware stack and a response object, for a
page that is already a finished list of headers and bytes. ``PageCacheFastPath`` wraps Django's
WSGI application and answers a hit itself, exactly as the full stack would:

- what it serves is the stored entry, which is the *final* response: ``PageStoreMiddleware``, the
  outermost middleware, stores it after every middleware has added its headers (HSTS, CSP,
  Content-Language, Vary, …);
- it finds the entry with the middleware's own code (``pagecache.find_page``): the same Host
  validation, scheme, language from the path, canonical query, htmx variant and data version;
- it answers only GET and HEAD (HEAD without the body), only where the full stack would not
  redirect to HTTPS, and only while ``PAGE_CACHE`` is on.

Anything else falls through to Django unchanged: a miss, a conditional request (Django answers the
304), a bad Host (Django's 400), another method, a page that is not public, any error on the way.
"""

from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest

from ruspolitikk import pagecache
from ruspolitikk.middleware import url_language

# Conditional requests go to Django, which answers 304 with exactly its own headers.
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


class PageCacheFastPath:
    def __init__(self, application):
        self.application = application
        # Static files are WhiteNoise's, which answers them before the page cache: no lookup for them.
        self.static_prefix = urlsplit(settings.STATIC_URL).path

    def __call__(self, environ, start_response):
        static = environ.get("PATH_INFO", "").startswith(self.static_prefix)
        entry = None if static else self.cached_entry(environ)
        if entry is None:
            return self.application(environ, start_response)
        status, headers, content = entry
        start_response(f"{status} {HTTPStatus(status).phrase}", list(headers))
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [content]

    @staticmethod
    def cached_entry(environ):
        """The stored final response for this request, or None for "let Django answer"."""
        if not settings.PAGE_CACHE or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        if any(name in environ for name in _CONDITIONAL):
            return None
        try:
            request = WSGIRequest(dict(environ))  # a copy: WSGIRequest rewrites PATH_INFO
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                return None  # SecurityMiddleware redirects (or exempts): Django decides
            page = pagecache.find_page(request, url_language(request.path_info))
            return pagecache.stored_entry(page) if page is not None else None
        except Exception:  # a bad Host, a cache that does not answer, …: the full stack's answer
            return None
