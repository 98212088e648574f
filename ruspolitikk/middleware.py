"""Language from the URL only: bokmål at ``/…``, English at ``/en/…``.

Django's LocaleMiddleware would also read the language cookie and ``Accept-Language`` and add
``Vary: Accept-Language`` to every unprefixed page, although the page never varies by it. Here the
address alone decides, so a page is the same for everyone who asks for it and any HTTP cache can keep
it: the path's language prefix (``/en/``), else ``LANGUAGE_CODE`` (bokmål). No cookie is read or set.
"""

from django.conf import settings
from django.utils import translation


class UrlLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
