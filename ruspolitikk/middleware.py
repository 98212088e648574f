"""Language selection: bokmål for everyone, English for those who choose it.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
every Norwegian whose browser happens to be set up in English. Ruspolitikk speaks bokmål by
default; the language form (Django's ``set_language`` view) stores a visitor's choice in the
language cookie, and only that cookie changes the language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
