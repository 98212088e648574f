"""Open data: the rows of a grid, with quotes and sources, as JSON, CSV or XLSX.

One function builds the rows for ``manage.py export_positions`` and for ``/eksport.csv``,
``/eksport.xlsx`` and ``/eksport.json``, so a journalist's download and the command give the same
columns.

JSON: a list with one object per organisation × topic cell, each with an ``evidence`` list.
CSV: tidy ("long") rows, one per quote; a cell without quotes ("none") is one row with empty
quote columns. Columns, in order, are ``CSV_COLUMNS``; their meaning is ``COLUMN_HELP``. RFC 4180,
UTF-8 without a byte-order mark.
XLSX: the CSV's rows and columns for Excel, which misreads a UTF-8 CSV under a Norwegian locale
(ø and å mangled, all in one column): typed cells (``quote_number`` a number, a source dated to
the day a date, the rest text, never a formula), a bold header row kept in view, filters on.
"""

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

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
    "organisation": _("Organisasjonens slug (f.eks. ap, innlandet-venstre)"),
    "organisation_name": _("Organisasjonens navn"),
    "party": _("Partiets slug"),
    "party_name": _("Partiets navn"),
    "level": _("Nivå: national, county, municipal eller youth"),
    "topic": _("Temaets slug (f.eks. sproyterom)"),
    "topic_name": _("Temaets navn"),
    "stance": _("Standpunkt: for, partly (delvis), against (mot) eller none (ikke uttalt)"),
    "summary": _("Én setning som sier hva sitatene viser"),
    "quote_number": _("Sitatets nummer i cellen (1, 2, …); tomt når cellen ikke har sitater"),
    "quote": _("Ordrett sitat fra organisasjonens egen tekst"),
    "attribution": _("certain (sikker) eller uncertain (usikker): om vi vet at organisasjonen skrev teksten"),
    "attribution_note": _("Begrunnelsen når attribusjonen er usikker"),
    "source": _("Kildens slug"),
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


def tidy_rows(rows: list[dict]) -> Iterator[dict]:
    """The CSV's and the spreadsheet's rows: one per quote, one for a cell without quotes."""
    for row in rows:
        cell = {column: row[column] for column in CELL_COLUMNS}
        if not row["evidence"]:
            yield {**cell, "quote_number": "", **dict.fromkeys(EVIDENCE_COLUMNS, "")}
        for number, evidence in enumerate(row["evidence"], 1):
            yield {**cell, "quote_number": number, **evidence}


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(tidy_rows(rows))
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATE_FORMAT = "DD.MM.YYYY"
_DAY = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")  # the date label of a source dated to the day
# Wide enough to read, narrow enough to see several columns; quotes and summaries wrap in Excel's
# formula bar anyway.
_XLSX_WIDTHS = {"summary": 50, "quote": 70, "attribution_note": 40, "source_title": 30, "link": 40}


def _typed(column: str, value):
    """A spreadsheet value: numbers and dates typed, text as text with what XML cannot hold dropped."""
    if value == "" or value is None:
        return None
    if column == "source_date" and (day := _DAY.match(value)):
        return datetime.date(int(day[3]), int(day[2]), int(day[1]))
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def to_xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ruspolitikk"
    sheet.append(CSV_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in tidy_rows(rows):
        sheet.append([_typed(column, row[column]) for column in CSV_COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # a quote that begins with "=" is text, never a formula
                cell.data_type = "s"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = XLSX_DATE_FORMAT
    for index, column in enumerate(CSV_COLUMNS, 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = _XLSX_WIDTHS.get(column, 16)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.creator = "Ruspolitikk"
    workbook.properties.title = "Ruspolitikk: standpunkter med ordrette sitater"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
