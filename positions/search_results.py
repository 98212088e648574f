"""What the search page shows beside each hit's text: the organisation's stance on each of the
statement's topics, and the addresses of the organisation and of the quote in its source.

Kept apart from ``positions.search`` (which finds and ranks the statements, and knows nothing of
stances) and from the view (which reads the request). Every address is reversed once and filled in
per hit, as the grid does: two ``reverse()`` calls per hit were a tenth of the page's render. A cell
is a plain ``HitCell`` (topic, value, address), not the grid's ``Cell``: a page of 20 hits has 40-70
of them, and all the page shows of each is those three. The hits are written out as HTML by the
``search_hits`` template tag (``positions/templatetags/search_hits.py``).
"""

from dataclasses import dataclass
from typing import NamedTuple

from .addresses import address_parts
from .grid import NOT_STATED, _shown_values
from .models import Stance, Topic
from .search import SearchHit


class HitCell(NamedTuple):
    """One of a hit's topics as the organisation's cell: the value the public is shown (``none``
    when not stated, or stated without a quote it can show: the grid's rule) and the cell's page."""

    topic: Topic
    value: str
    url: str


@dataclass
class SearchResult:
    """A hit with its statement's topics, each as the organisation's cell (stance and address)."""

    hit: SearchHit
    cells: list[HitCell]
    organisation_url: str
    source_url: str  # the statement in its source text: the page and the statement's anchor


def with_cells(hits: list[SearchHit]) -> list[SearchResult]:
    """Each hit with the published stance of its organisation on each of the statement's topics:
    one query for the shown values of just those cells (the grid's rule: a stance it cannot quote is
    shown as not stated), whatever the number of hits and the size of the data."""
    if not hits:
        return []
    # Each statement's prefetched topics, read once (each ``.all()`` is a queryset clone).
    topics = [list(hit.statement.topics.all()) for hit in hits]
    organisation_ids = {hit.statement.organisation_id for hit in hits}
    topic_ids = {topic.pk for statement_topics in topics for topic in statement_topics}
    shown = _shown_values(Stance.objects.published().order_by(), True, organisation_ids, topic_ids)
    cell_before, cell_between, cell_after = address_parts("positions:cell", 2)
    organisation_before, organisation_after = address_parts("positions:organisation")
    source_before, source_after = address_parts("positions:source")
    results = []
    for hit, statement_topics in zip(hits, topics, strict=True):
        statement = hit.statement
        organisation_id, slug = statement.organisation_id, statement.organisation.slug
        cell_base = f"{cell_before}{slug}{cell_between}"
        results.append(
            SearchResult(
                hit,
                [
                    HitCell(
                        topic,
                        shown.get((organisation_id, topic.pk), NOT_STATED),
                        f"{cell_base}{topic.slug}{cell_after}",
                    )
                    for topic in statement_topics
                ],
                organisation_url=f"{organisation_before}{slug}{organisation_after}",
                source_url=f"{source_before}{statement.source.slug}{source_after}#{statement.anchor}",
            )
        )
    return results
