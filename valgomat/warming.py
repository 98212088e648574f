"""The standings are read again right after a publish, by the request that published.

A publish (a committed change to the public data: ``ruspolitikk.pagecache.data_committed``) gives
the data a new version, so the standings kept in the shared cache are dead, and the first result
after it would read every shown stance again: about 300 ms on SQLite and 0.7 s on PostgreSQL with
every branch of a national-size set, paid by a voter. The request that published reads them
instead, once however many rows it saved, after its response has gone (Django's
``request_finished``): the editor does not wait for it, and they land in the shared cache under the
new version, for every worker of every server. A read that raced another publish is stored under a
dead version, as any voter's would be (``valgomat.standings``).

Warmed: every level (the national ranking) and the default levels. Other choices of levels, and
publishes outside a request (``load_data``), are read by their first voter, as before. The flag is
the request's own (this thread's, cleared when a request starts): nothing another process needs.
"""

import logging
import threading

from django.db import DatabaseError

from positions.models import Topic
from ruspolitikk.db.streaming import bounded_stream

from .filters import DEFAULT_LEVELS
from .standings import standings

logger = logging.getLogger(__name__)

WARMED_LEVELS = (None, DEFAULT_LEVELS)  # None: every level
_published = threading.local()


def request_started(**kwargs) -> None:
    _published.now = False


def data_committed(**kwargs) -> None:
    _published.now = True


def request_finished(**kwargs) -> None:
    if getattr(_published, "now", False):
        _published.now = False
        warm()


def warm() -> None:
    """Read the standings of ``WARMED_LEVELS`` into the shared cache unless they are there. Each
    read's queries have the streamed bodies' deadline (the request's own has ended); a database
    that fails only leaves them to the first voter."""
    try:
        topics = dict(Topic.objects.values_list("pk", "slug"))
        for _read in bounded_stream((standings(levels, topics) for levels in WARMED_LEVELS), label="warming"):
            pass
    except DatabaseError:
        logger.warning("Valgomat standings not warmed after a publish", exc_info=True)
