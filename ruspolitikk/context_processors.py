"""Template context every page needs: the links to the same page in the other languages, and the
page's own absolute address (for the Open Graph card a shared link shows)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, override


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in its own language: "English", "Norsk bokmål"
    url: str


def page_query(request) -> str:
    """The query string that describes this page: the page cache's canonical form when it made one."""
    canonical = getattr(request, "canonical_query", None)
    return request.GET.urlencode() if canonical is None else canonical


def language_links(request) -> dict:
    """``language_links``: this page, same query string, in each language the site is not shown in now.

    A plain link, so switching language needs no form, no cookie and no JavaScript, and an English
    page is an address that can be shared.
    """

    def links() -> list[LanguageLink]:
        current = get_language()
        query = page_query(request)
        result = []
        for code, name in settings.LANGUAGES:
            if code == current:
                continue
            url = translate_url(request.path, code)
            with override(code):
                own_name = str(name)
            result.append(LanguageLink(code, own_name, f"{url}?{query}" if query else url))
        return result

    def page_url() -> str:
        # The address a shared link (og:url) should carry: absolute, with the canonical query.
        query = page_query(request)
        return page_origin() + request.path + (f"?{query}" if query else "")

    def page_origin() -> str:
        try:
            return f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:  # the 400 page for a Host not allowed must not fail on it again
            return ""

    return {
        "language_links": SimpleLazyObject(links),
        "page_url": SimpleLazyObject(page_url),
        "page_origin": SimpleLazyObject(page_origin),
    }
