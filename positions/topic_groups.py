"""The topic page's groups: every organisation (at the levels asked for) by the value its cell on the
topic shows, kept in the shared cache under the data's version.

Reading them is the one part of the topic page that grows with the data: the shown value of every
organisation's stance (a published stance with published evidence, the grid's rule), 2,245 stated
stances of 3,000 organisations at national size, about 20 ms of a 47 ms page on SQLite and more on
PostgreSQL, on every uncached request (each level filter, each page of each group is its own page).
They depend only on the published data, the topic and the levels, so, as the valgomat's standings
(``valgomat.standings``), they are kept under ``ruspolitikk.pagecache.data_key``: read before the
data, so a read that raced a publish is kept under a version that is already dead. Kept with
``PAGE_CACHE=0`` too: it is data, not a rendered answer. The first request after a publish reads
them as before (two queries of plain values).
"""

from collections import defaultdict
from collections.abc import Iterable

from ruspolitikk.pagecache import kept_per_data_version

from .grid import organisations_by_shown_value
from .models import Topic


def topic_groups(topic: Topic, levels: Iterable[str] | None) -> dict[str, list[str]]:
    """``organisations_by_shown_value(topic, levels)``: the slugs by shown value, in display order
    (a value nobody shows: an empty list), from the shared cache while the data has not changed."""
    levels = sorted(levels) if levels is not None else None
    groups = kept_per_data_version(
        f"topic-groups:{topic.pk}:{','.join(levels) if levels is not None else 'all'}",
        lambda: dict(organisations_by_shown_value(topic, levels)),
    )
    return defaultdict(list, groups)
