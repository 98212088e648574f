"""Language from the URL only: bokmål at ``/…``, English at ``/en/…``.

Django's LocaleMiddleware would also read the language cookie and ``Accept-Language`` and add
``Vary: Accept-Language`` to every unprefixed page, although the page never varies by it. Here the
address alone decides, so a page is the same for everyone who asks for it and any HTTP cache can keep
it: the path's language prefix (``/en/``), else ``LANGUAGE_CODE`` (bokmål). No cookie is read or set.
"""

from django.conf import settings
from django.utils import translation


def url_language(path_info: str) -> str:
    """The page's language: the path's prefix, else bokmål (also the WSGI fast path's answer)."""
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


class UrlLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = url_language(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
