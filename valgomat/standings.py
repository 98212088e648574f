"""What every organisation of the chosen levels has said, as the valgomat ranks it: the part of a
result that is the same for every voter.

Each voter's answers make a new address, so the page cache cannot spare a new voter the read of
every shown stance (90,000 rows with every branch of a national-size set: most of the result's
time). That read depends only on the published data and the levels, so it is kept in the shared
cache (Django's ``default`` cache, as the pages are: nothing is kept in a process) under the data's
version (``ruspolitikk.pagecache.current_version``), read *before* the data, as the page cache does:
a read that raced a publish is stored under a token that is already dead and is never used.
Unlike the pages it is kept with ``PAGE_CACHE=0`` too: it is data, not a rendered answer. It is
kept as columns and one array of stance codes (``valgomat.matching.StanceTable``), because every
result unpickles it.
"""

import pickle
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.db.models import Exists

from parties.models import Organisation
from positions.grid import NOT_STATED, shown_evidence
from positions.models import Stance
from ruspolitikk.pagecache import data_key, kept_per_data_version

from .matching import STANCE_CODES, StanceTable


class Ranked(NamedTuple):
    """An organisation as the ranking needs it: no model object (there may be thousands)."""

    pk: int
    slug: str
    name: str
    level: str


@dataclass(frozen=True, eq=False)
class Standings:
    """Every organisation of the levels in the grid's order, and their shown stances. Kept as
    columns, read on every result: thousands of small objects made the cached copy slow to unpickle.
    The names and levels, which only the JSON reads, are kept packed (``named``) and unpacked by
    ``names_and_levels``: a page unpickled 3,000 names it never shows, most of reading the kept
    copy at national size."""

    pks: tuple[int, ...]
    table: StanceTable  # the shown stances, a row per organisation in the same order; and the slugs
    named: bytes  # the pickled (names, levels), a row each

    @classmethod
    def of(cls, pks, names, levels, table: StanceTable) -> "Standings":
        return cls(tuple(pks), table, pickle.dumps((tuple(names), tuple(levels)), pickle.HIGHEST_PROTOCOL))

    def names_and_levels(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return pickle.loads(self.named)

    def ranked(self) -> dict[str, Ranked]:
        """Every organisation by slug, with its name and level."""
        names, levels = self.names_and_levels()
        return {
            slug: Ranked(pk, slug, name, level)
            for pk, slug, name, level in zip(self.pks, self.table.organisations, names, levels, strict=True)
        }


def standings(levels: list[str] | None, topics: dict[int, str], *, fresh: bool = False) -> Standings:
    """Every organisation of ``levels`` (None: all) and its shown stances on ``topics`` (topic id →
    slug), from the shared cache when the data has not changed since they were read (``fresh``:
    read them, and keep that)."""
    return kept_per_data_version(_name(levels), lambda: read(levels, topics), fresh=fresh)


def cache_key(levels: list[str] | None) -> str:
    """Under this release, database and data version (``ruspolitikk.pagecache.data_key``)."""
    return data_key(_name(levels))


def _name(levels: list[str] | None) -> str:
    return f"valgomat-standings:{','.join(levels or ['all'])}"


def read(levels: list[str] | None, topics: dict[int, str]) -> Standings:
    """Two queries: the organisations as values, and the stated stances the public is shown.

    The rule is the grid's (``positions.grid.shown_evidence``): only published stances, and a
    stated one only with published evidence. "Not stated" is what a missing entry means here, so
    those rows are not read at all (an OR with "none" made PostgreSQL hash every published
    statement: 1.7 s rather than 0.7 s at national size, where 1 s is the request's deadline).
    """
    organisations = Organisation.objects.all()  # in the grid's order: ties keep it
    if levels is not None:
        organisations = organisations.filter(level__in=levels)
    rows = list(organisations.values_list("pk", "slug", "name", "level"))
    pks, slugs, names, their_levels = zip(*rows, strict=True) if rows else ((), (), (), ())
    # Each level one string object rather than one per organisation, so the packed names and levels
    # name each level once and refer back to it: a third of unpacking them otherwise.
    shared = {level: level for level in Organisation.Level.values}
    their_levels = tuple(shared.get(level, level) for level in their_levels)
    row_by_id = {pk: row for row, pk in enumerate(pks)}
    column_by_id = {topic_id: column for column, topic_id in enumerate(topics)}
    code = {value: STANCE_CODES.index(value) for value in Stance.Value.values if value != NOT_STATED}
    stated = Stance.objects.published().exclude(value=NOT_STATED).filter(Exists(shown_evidence())).order_by()
    if levels is not None:
        stated = stated.filter(organisation__level__in=levels)
    codes = np.zeros((len(pks), len(topics)), dtype=np.uint8)
    for organisation_id, topic_id, value in stated.values_list("organisation_id", "topic_id", "value"):
        if organisation_id in row_by_id and topic_id in column_by_id:
            codes[row_by_id[organisation_id], column_by_id[topic_id]] = code[value]
    return Standings.of(pks, names, their_levels, StanceTable(slugs, tuple(topics.values()), codes))
