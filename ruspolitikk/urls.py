"""The site's addresses. The language lives in the URL: bokmål at ``/…``, English at ``/en/…``.

``i18n_patterns`` with ``prefix_default_language=False`` keeps every bokmål address as it always was
(shared links keep working) and puts English under ``/en/``, so a page in either language is one
shareable, cacheable URL and no cookie is needed to remember the choice. The admin is not translated
by URL. ``i18n/setlang/`` stays so that old language forms still land on the right page: Django's
``set_language`` redirects to the ``next`` address translated into the chosen language.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView


class FaviconRedirect(RedirectView):
    """Browsers and feed readers ask for /favicon.ico whatever the page links: send them to the SVG.

    The static URL is looked up per request, not at import, so the hashed name of a deploy's manifest
    is used."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


# A database that cannot answer gets a 503 with Retry-After, never a 500 (ruspolitikk.db.views).
handler500 = "ruspolitikk.db.views.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", cache_control(public=True, max_age=86400)(require_safe(FaviconRedirect.as_view()))),
    *i18n_patterns(
        path("", include("positions.urls")),
        path("valgomat/", include("valgomat.urls")),
        prefix_default_language=False,
    ),
]
