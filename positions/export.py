"""Open data: the rows of a grid, with quotes and sources, as JSON or CSV.

One function builds the rows for ``manage.py export_positions`` and for ``/eksport.csv`` and
``/eksport.json``, so a journalist's download and the command print the same columns.

JSON: a list with one object per organisation × topic cell, each with an ``evidence`` list.
CSV: tidy ("long") rows, one per quote; a cell without quotes ("none") is one row with empty
quote columns. Columns, in order, are ``CSV_COLUMNS``; their meaning is ``COLUMN_HELP``.
"""

import csv
import io
import json
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .grid import Cell

CELL_COLUMNS = [
    "organisation",
    "organisation_name",
    "party",
    "party_name",
    "level",
    "topic",
    "topic_name",
    "stance",
    "summary",
]
EVIDENCE_COLUMNS = [
    "quote",
    "attribution",
    "attribution_note",
    "source",
    "source_title",
    "source_kind",
    "source_language",
    "source_date",
    "source_url",
    "link",
]
CSV_COLUMNS = [*CELL_COLUMNS, "quote_number", *EVIDENCE_COLUMNS]

COLUMN_HELP = {
    "organisation": _("Organisasjonens kortnavn (f.eks. ap, innlandet-venstre)"),
    "organisation_name": _("Organisasjonens navn"),
    "party": _("Partiets kortnavn"),
    "party_name": _("Partiets navn"),
    "level": _("Nivå: national, county, municipal eller youth"),
    "topic": _("Temaets kortnavn (f.eks. sproyterom)"),
    "topic_name": _("Temaets navn"),
    "stance": _("Standpunkt: for, partly (delvis), against (mot) eller none (ikke uttalt)"),
    "summary": _("Én setning som sier hva sitatene viser"),
    "quote_number": _("Sitatets nummer i cellen (1, 2, …); tomt når cellen ikke har sitater"),
    "quote": _("Ordrett sitat fra organisasjonens egen tekst"),
    "attribution": _("certain (sikker) eller uncertain (usikker): om vi vet at organisasjonen skrev teksten"),
    "attribution_note": _("Begrunnelsen når attribusjonen er usikker"),
    "source": _("Kildens kortnavn"),
    "source_title": _("Kildens tittel"),
    "source_kind": _("programme, web_page, resolution eller article"),
    "source_language": _("nb (bokmål) eller nn (nynorsk)"),
    "source_date": _("Kildens datering, så presis vi kjenner den (26.05.2020, 2017–2021, ca. 2011, udatert)"),
    "source_url": _("Kildens adresse på nett, når vi har den"),
    "link": _("Lenke til sitatet i kildeteksten hos Ruspolitikk"),
}


def _evidence_row(statement, base_url: str) -> dict:
    source = statement.source
    return {
        "quote": statement.text,
        "attribution": statement.confidence,
        "attribution_note": statement.attribution_note,
        "source": source.slug,
        "source_title": source.title,
        "source_kind": source.kind,
        "source_language": source.language,
        "source_date": source.date_label,
        "source_url": source.url,
        "link": f"{base_url}{reverse('positions:source', args=[source.slug])}#{statement.anchor}",
    }


def export_rows(cells: Iterable[Cell], *, base_url: str = "") -> list[dict]:
    """One dict per cell, in grid order, with an ``evidence`` list of quote dicts."""
    rows = []
    for cell in cells:
        organisation, topic = cell.organisation, cell.topic
        rows.append(
            {
                "organisation": organisation.slug,
                "organisation_name": organisation.name,
                "party": organisation.party.slug,
                "party_name": organisation.party.name,
                "level": organisation.level,
                "topic": topic.slug,
                "topic_name": topic.name,
                "stance": cell.value,
                "summary": cell.summary,
                "evidence": [_evidence_row(statement, base_url) for statement in cell.evidence],
            }
        )
    return rows


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        cell = {column: row[column] for column in CELL_COLUMNS}
        if not row["evidence"]:
            writer.writerow({**cell, "quote_number": ""})
        for number, evidence in enumerate(row["evidence"], 1):
            writer.writerow({**cell, "quote_number": number, **evidence})
    return buffer.getvalue()
