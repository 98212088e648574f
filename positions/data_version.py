"""The published data's version, as ``/datapakke.json`` states it: a digest of what the exports show.

The version must be the same for the same data on every server (a reverted edit gives the old
version back), so it is a digest of the data, not the page cache's random token. Walking every cell
of the grid in Python to make it (``build_grid`` at every level, with the quotes) cost seconds at
national size, on every uncached request. Instead:

- the digest is made in the database, one aggregate query per part of the data (``parts``): each
  row's exported columns joined into one string, the rows joined in id order, and MD5 of the whole
  (``MD5`` is PostgreSQL's own, and one Django registers on SQLite). Python only sees seven hashes;
- it is kept in the shared cache under the data's version (``ruspolitikk.pagecache.data_key``, read
  *before* the data, as the page cache does), so a request costs one cache read, and the digest is
  made again only after a write to the public data. Like the valgomat's standings, it is kept with
  ``PAGE_CACHE=0`` too: it is data, not a rendered answer.

What it covers: every column the exports show, of the published stances, of the published
statements that are evidence of one (with their sources), and of every organisation, party, topic
and source. So it changes whenever the exported data does; it may change too for a published
statement that a stance cites but the grid does not show (its stance shown as not stated), which
only costs the readers of the package one needless download.
"""

import hashlib

from django.db import connection
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast, Coalesce

from parties.models import Organisation, Party
from ruspolitikk.pagecache import kept_per_data_version

from .models import Source, Stance, Statement, Topic

FIELD_SEPARATOR = "\x1f"  # ASCII unit separator: in no name, text or slug
ROW_SEPARATOR = "\x1e"  # record separator


def parts():
    """(name, queryset, columns): what each aggregate digests, the rows in id order."""
    published = Stance.objects.published()
    links = Stance.evidence.through.objects.filter(stance__in=published)
    evidence = Statement.objects.published().filter(pk__in=links.values("statement_id"))
    return [
        ("parties", Party.objects.all(), ["slug", "name", "order"]),
        ("organisations", Organisation.objects.all(), ["slug", "name", "party_id", "level", "order"]),
        ("topics", Topic.objects.all(), ["slug", "name", "name_en", "order"]),
        (
            "sources",
            Source.objects.all(),
            [
                "slug",
                "organisation_id",
                "title",
                "kind",
                "language",
                "date_precision",
                "date_start",
                "date_end",
                "date_note",
                "url",
            ],
        ),  # fmt: skip
        ("stances", published, ["organisation_id", "topic_id", "value", "summary", "summary_en"]),
        ("evidence", links, ["stance_id", "statement_id"]),
        ("statements", evidence, ["source_id", "order", "text", "confidence", "attribution_note"]),
    ]


def published_data_version() -> str:
    """The version: 16 hex digits, from the shared cache while the data has not changed."""
    return kept_per_data_version("data-package-version", digest)


def digest() -> str:
    """The digest of the published data, read now: one aggregate query per part."""
    whole = hashlib.sha256()
    for name, queryset, columns in parts():
        whole.update(f"{name}:{_part_digest(queryset, columns)};".encode())
    return whole.hexdigest()[:16]


def _part_digest(queryset, columns: list[str]) -> str:
    """MD5 of the rows' ``columns`` (and id), each row one string, the rows in id order."""
    fields = []
    for column in ["id", *columns]:
        fields += [Coalesce(Cast(F(column), TextField()), Value("")), Value(FIELD_SEPARATOR)]
    rows = queryset.order_by("id").annotate(digest_row=_Joined(*fields[:-1]))
    inner, params = rows.values("id", "digest_row").query.sql_with_params()
    if connection.vendor == "postgresql":
        aggregate = "string_agg(r.digest_row, %s ORDER BY r.id)"
    else:  # SQLite 3.40 has no ORDER BY inside an aggregate; it joins the ordered subquery's rows in order
        aggregate = "group_concat(r.digest_row, %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MD5(coalesce({aggregate}, '')) FROM ({inner}) AS r", [ROW_SEPARATOR, *params])
        return cursor.fetchone()[0]


class _Joined(Func):
    """``a || b || …``, flat: Django's ``Concat`` nests a pair per argument, too deep for SQLite's
    parser at twenty arguments."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()
