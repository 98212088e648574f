"""What a server process keeps out of the garbage collector's way: everything it loads before serving.

Python's cyclic garbage collector now and then walks every object a process holds (a "full"
collection, generation 2). A Django process serving pages holds some 110,000 objects (modules,
settings, URL patterns, translation catalogues, compiled templates), none of which will ever be
garbage, and each full collection walked them all in the middle of some request. At national size
the grid of a level of branches allocates enough per request that such a collection came about
once in 100 requests and took 50–90 ms on a busy two-core machine: the slowest requests were the
collector's, not the page's.

``load_and_freeze`` loads what every process would load on its first requests anyway (both
languages' URL patterns and catalogues, the site's templates), then moves everything the process
holds into the collector's permanent generation, which no collection walks. The ``gc``
documentation advises this for a server that loads its code and then forks its workers
(``gc.freeze()`` right before ``fork()``); it also keeps the loaded pages shared between the
workers rather than copied when a collection touches them. Gunicorn calls it before each fork
(``pre_fork`` in ``ruspolitikk/gunicorn.conf.py``); the scale benchmark's measuring processes call
it once Django is set up, so that they measure what production runs. Objects made later, by
requests and caches, are collected as always.
"""

import gc
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation


def load_and_freeze() -> int:
    """Load what requests share, then freeze what the process holds; returns how many objects are frozen."""
    load_shared()
    gc.collect()  # what is garbage already is freed, not kept forever
    gc.freeze()
    return gc.get_freeze_count()


def load_shared() -> None:
    """Load what the first requests of a process would: each language's URL patterns and catalogue
    (the URL patterns are kept per language) and every template of the site's own directory."""
    resolver = get_resolver()
    with translation.override(None):
        for language, _name in settings.LANGUAGES:
            translation.activate(language)
            resolver.reverse_dict  # noqa: B018 -- reading it builds the language's patterns
            translation.gettext("")  # the catalogue is read on first use
    engine = engines["django"]
    for directory in map(Path, engine.dirs):
        for template in sorted(directory.rglob("*.html")):
            engine.get_template(template.relative_to(directory).as_posix())
