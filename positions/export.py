"""Open data: the rows of a grid, with quotes and sources, as JSON, CSV or XLSX.

One function builds the rows for ``manage.py export_positions`` and for ``/eksport.csv``,
``/eksport.xlsx`` and ``/eksport.json``, so a journalist's download and the command give the same
columns.

JSON: an object with the filters applied, when it was generated, the licence and ``rows``: one
object per organisation × topic cell, each with an ``evidence`` list.
CSV: tidy ("long") rows, one per quote; a cell without quotes ("none") is one row with empty
quote columns. Columns, in order, are ``CSV_COLUMNS``; their meaning is ``COLUMN_HELP``. RFC 4180,
UTF-8 without a byte-order mark.
Data package (``/datapakke.json``, ``data_package``): the exports described as a Frictionless Data
Package (https://specs.frictionlessdata.io/data-package/): resources with a Table Schema built from
``COLUMN_HELP``, licence, sources, generation time and a version that changes exactly when the
published data does.
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
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .addresses import address_parts
from .filters import LEVELS
from .grid import Cell
from .models import Source, Stance, Statement, format_date_label

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
JSON_ONLY_COLUMNS = ["topic_name_en", "summary_en"]  # English, where written; the CSV stays bokmål

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
    "topic_name_en": _("Temaets navn på engelsk (tomt der det ikke er skrevet)"),
    "summary_en": _("Oppsummeringen på engelsk (tom der den ikke er skrevet)"),
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
    return list(iter_export_rows(cells, base_url=base_url))


def iter_export_rows(cells: Iterable[Cell], *, base_url: str = "") -> Iterator[dict]:
    """``export_rows`` one at a time, for the streamed exports."""
    for cell in cells:
        organisation, topic = cell.organisation, cell.topic
        yield (
            {
                "organisation": organisation.slug,
                "organisation_name": organisation.name,
                "party": organisation.party.slug,
                "party_name": organisation.party.name,
                "level": organisation.level,
                "topic": topic.slug,
                "topic_name": topic.name,
                "stance": cell.value,
                "summary": cell.stance.summary if cell.stance else "",  # bokmål on every page
                # JSON_ONLY_COLUMNS: English where written ("" otherwise).
                "topic_name_en": topic.name_en,
                "summary_en": cell.stance.summary_en if cell.stance else "",
                "evidence": [_evidence_row(statement, base_url) for statement in cell.evidence],
            }
        )


# The data (stances, summaries, which quote shows what) are open; the quotes stay the parties' own.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ATTRIBUTION = _(
    "Ruspolitikk. Standpunkter, sammendrag og koblinger: CC BY 4.0. Sitatene er partienes egne tekster, "
    "gjengitt som sitater; opphavsretten til dem ligger hos partiene."
)


def timestamp(moment: datetime.datetime) -> str:
    """RFC 3339 in UTC, to the second: 2026-11-24T02:30:00Z."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def applied_filters(grid_kwargs: dict, querystring: str) -> dict:
    """What a grid export was asked for, as ``build_grid`` was called: ``null`` is no filter; the
    levels are those searched (every level when the grid was not limited to some)."""
    return {
        "query": querystring,
        "parti": grid_kwargs["organisations"],
        "tema": grid_kwargs["topics"],
        "standpunkt": [f"{f.topic}:{f.value}" for f in grid_kwargs["stance_filters"]],
        "niva": list(grid_kwargs["levels"] or LEVELS),
    }


def to_json(rows: list[dict], *, filters: dict, generated: datetime.datetime) -> str:
    document = {
        "generated": timestamp(generated),
        "filters": filters,
        "licenses": [LICENSE],
        "attribution": str(ATTRIBUTION),
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def iter_json(rows: Iterable[dict], *, filters: dict, generated: datetime.datetime) -> Iterator[str]:
    """``to_json`` in pieces, a row at a time: the same bytes, never the whole document in memory."""
    head = {
        "generated": timestamp(generated),
        "filters": filters,
        "licenses": [LICENSE],
        "attribution": str(ATTRIBUTION),
    }
    # json.dumps(head, indent=2) ends with "\n}"; "rows" goes last, where to_json puts it.
    yield json.dumps(head, ensure_ascii=False, indent=2)[: -len("\n}")] + ',\n  "rows": ['
    empty = True
    for row in rows:
        # A row is indented two levels deeper inside the document; JSON strings hold no raw newline.
        yield ("\n    " if empty else ",\n    ") + json.dumps(row, ensure_ascii=False, indent=2).replace(
            "\n", "\n    "
        )
        empty = False
    yield ("]" if empty else "\n  ]") + "\n}\n"


class _Line:
    """A file-like object whose ``write`` hands the line back: the csv module writes one row at a time."""

    def write(self, line: str) -> str:
        return line


def iter_csv(rows: Iterable[dict]) -> Iterator[str]:
    """``to_csv`` in pieces, one cell's lines at a time: the same bytes."""
    writer = csv.DictWriter(_Line(), fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    yield writer.writeheader()
    for row in rows:
        yield "".join(writer.writerow(line) for line in tidy_rows([row]))


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


def to_xlsx(rows: Iterable[dict]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(rows, buffer)
    return buffer.getvalue()


def write_xlsx(rows: Iterable[dict], file) -> None:
    """The workbook written to ``file`` in openpyxl's write-only mode: rows go to disk as they come,
    so memory stays flat however many there are (the zip itself is only made at the end, which is
    why the XLSX is sent from a temporary file rather than streamed as it is written)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ruspolitikk")
    for index, column in enumerate(CSV_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _XLSX_WIDTHS.get(column, 16)
    sheet.freeze_panes = "A2"
    sheet.append([_bold(WriteOnlyCell(sheet, value=column)) for column in CSV_COLUMNS])
    count = 1
    for row in tidy_rows(rows):
        sheet.append([_xlsx_cell(sheet, column, row[column]) for column in CSV_COLUMNS])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(CSV_COLUMNS))}{count}"
    workbook.properties.creator = "Ruspolitikk"
    workbook.properties.title = "Ruspolitikk: standpunkter med ordrette sitater"
    workbook.save(file)


def _bold(cell):
    cell.font = Font(bold=True)
    return cell


def _xlsx_cell(sheet, column: str, value):
    cell = WriteOnlyCell(sheet, value=_typed(column, value))
    if cell.data_type == "f":  # a quote that begins with "=" is text, never a formula
        cell.data_type = "s"
    elif isinstance(cell.value, datetime.date):
        cell.number_format = XLSX_DATE_FORMAT
    return cell


# --- the data package -------------------------------------------------------------------------

FIELD_TYPES = {"quote_number": "integer", "evidence": "array"}
FIELD_FORMATS = {"source_url": "uri", "link": "uri"}
FIELD_ENUMS = {
    "level": LEVELS,
    "stance": [choice.value for choice in Stance.Value],
    "attribution": [choice.value for choice in Statement.Confidence],
    "source_kind": [choice.value for choice in Source.Kind],
    "source_language": [choice.value for choice in Source.Language],
}
EVIDENCE_HELP = _("Sitatene i ruten, hvert med kolonnene quote, attribution … link som i CSV-filen")


def table_schema(columns: list[str]) -> dict:
    """A Table Schema (https://specs.frictionlessdata.io/table-schema/) of export columns."""
    fields = []
    for column in columns:
        field = {
            "name": column,
            "type": FIELD_TYPES.get(column, "string"),
            "description": str(EVIDENCE_HELP if column == "evidence" else COLUMN_HELP[column]),
        }
        if column in FIELD_FORMATS:
            field["format"] = FIELD_FORMATS[column]
        if column in FIELD_ENUMS:
            field["constraints"] = {"enum": FIELD_ENUMS[column]}
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def package_sources(sources, *, base_url: str) -> list[dict]:
    """The party texts, each at its verbatim copy here (what every quote is checked against) and,
    where we have it, where the party published it. ``sources``: a Source queryset, read here as
    plain values with the address reversed once, not once per source (9,000 at national size, where
    a model object and a ``reverse()`` each were most of the package's time)."""
    before, after = address_parts("positions:source")
    columns = ("slug", "title", "url", "date_precision", "date_start", "date_end", "organisation__name")
    return [
        {
            "title": f"{title} ({organisation}, {format_date_label(precision, start, end)})",
            "path": f"{base_url}{before}{slug}{after}",
            **({"original": url} if url else {}),
        }
        for slug, title, url, precision, start, end, organisation in sources.values_list(*columns)
    ]


def data_package(*, base_url: str, version: str, sources, generated: datetime.datetime) -> dict:
    """The exports of every cell at every level, described for Frictionless tools."""
    everything = "?" + "&".join(f"niva={level}" for level in LEVELS)

    def url(name: str, query: str = "") -> str:
        return f"{base_url}{reverse(name)}{query}"

    csv_schema = table_schema(CSV_COLUMNS)
    return {
        "profile": "data-package",
        "name": "ruspolitikk",
        "title": str(_("Ruspolitikk: hva partiene mener om ruspolitikk, med ordrette sitater")),
        "description": str(
            _(
                "Hvert norsk partis, og noen fylkes-, lokal- og ungdomslags, standpunkt på ni temaer i "
                "ruspolitikken, med ordrette sitater fra organisasjonenes egne tekster og lenke til stedet i "
                "kilden. Bare publiserte data."
            )
        ),
        "homepage": url("positions:about"),
        "version": version,
        "created": timestamp(generated),
        "licenses": [LICENSE],
        "attribution": str(ATTRIBUTION),
        "keywords": ["ruspolitikk", "narkotikapolitikk", "partiprogram", "Norge", "drug policy"],
        # The party texts, each at its verbatim copy here (what every quote is checked against) and,
        # where we have it, where the party published it.
        "sources": package_sources(sources, base_url=base_url),
        "resources": [
            {
                "name": "ruspolitikk-csv",
                "title": str(_("Alle ruter, én rad per sitat (CSV)")),
                "path": url("positions:export_csv", everything),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
                "schema": csv_schema,
            },
            {
                "name": "ruspolitikk-xlsx",
                "title": str(_("De samme radene og kolonnene som regneark (XLSX)")),
                "path": url("positions:export_xlsx", everything),
                "profile": "tabular-data-resource",
                "format": "xlsx",
                "mediatype": XLSX_CONTENT_TYPE,
                "encoding": "utf-8",
                "schema": csv_schema,
            },
            {
                "name": "ruspolitikk-json",
                "title": str(_("Alle ruter, ett objekt per rute med sitatene i en liste (JSON)")),
                "description": str(
                    _("Radene står under «rows», sammen med filtrene, tidspunktet og lisensen.")
                ),
                "path": url("positions:export_json", everything),
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "schema": table_schema([*CELL_COLUMNS, *JSON_ONLY_COLUMNS, "evidence"]),
            },
        ],
    }
