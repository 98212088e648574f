"""The site's addresses. The language lives in the URL: bokmål at ``/…``, English at ``/en/…``.

``i18n_patterns`` with ``prefix_default_language=False`` keeps every bokmål address as it always was
(shared links keep working) and puts English under ``/en/``, so a page in either language is one
shareable, cacheable URL and no cookie is needed to remember the choice. The admin is not translated
by URL. ``i18n/setlang/`` stays so that old language forms still land on the right page: Django's
``set_language`` redirects to the ``next`` address translated into the chosen language.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# A database that cannot answer gets a 503 with Retry-After, never a 500 (ruspolitikk.db.views).
handler500 = "ruspolitikk.db.views.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    *i18n_patterns(path("", include("positions.urls")), prefix_default_language=False),
]
