"""What the search page shows beside each hit's text: the organisation's stance on each of the
statement's topics, and the addresses of the organisation and of the quote in its source.

Kept apart from ``positions.search`` (which finds and ranks the statements, and knows nothing of
stances) and from the view (which reads the request). Every address is reversed once and filled in
per hit, as the grid does: two ``reverse()`` calls per hit were a tenth of the page's render.
"""

from dataclasses import dataclass

from .addresses import address
from .grid import Cell, Grid, _shown_values
from .models import Stance
from .search import SearchHit


@dataclass(frozen=True)
class ShownValue:
    """All a hit's cell shows of a stance: the value the public is shown (a model object for each
    of a page's ~100 cells was half the cost of reading them)."""

    value: str


@dataclass
class SearchResult:
    """A hit with its statement's topics, each as the organisation's cell (stance and address)."""

    hit: SearchHit
    cells: list[Cell]
    organisation_url: str
    source_url: str  # the statement in its source text: the page and the statement's anchor


def with_cells(hits: list[SearchHit]) -> list[SearchResult]:
    """Each hit with the published stance of its organisation on each of the statement's topics:
    one query for the shown values of just those cells (the grid's rule: a stance it cannot quote is
    shown as not stated), whatever the number of hits and the size of the data."""
    if not hits:
        return []
    organisation_ids = {hit.statement.organisation_id for hit in hits}
    topic_ids = {topic.pk for hit in hits for topic in hit.statement.topics.all()}
    shown = _shown_values(Stance.objects.published().order_by(), True, organisation_ids, topic_ids)
    # A Grid of just these cells makes each Cell (value and address) as the grid page does.
    grid = Grid(organisations=[], topics=[], cells={key: ShownValue(value) for key, value in shown.items()})
    results = []
    for hit in hits:
        statement = hit.statement
        results.append(
            SearchResult(
                hit,
                [grid.cell(statement.organisation, topic) for topic in statement.topics.all()],
                organisation_url=grid.organisation_url(statement.organisation),
                source_url=f"{address('positions:source', statement.source.slug)}#{statement.anchor}",
            )
        )
    return results
