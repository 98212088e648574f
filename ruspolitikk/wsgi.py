"""
WSGI config for ruspolitikk project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruspolitikk.settings")

# Cached public pages are answered before Django handles the request (ruspolitikk/fastpath.py).
from ruspolitikk.fastpath import PageCacheFastPath  # noqa: E402 (needs the settings module set)

application = PageCacheFastPath(get_wsgi_application())
