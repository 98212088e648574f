"""stances.toml: the curated stance of every organisation on every topic, each quote checked
verbatim against statements attributed to the organisation."""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from ..text import find_normalised, normalise_whitespace
from .data import STATUSES, OrganisationData, SourceData, StanceData, StatementData, TopicData
from .reading import TomlFile, _choice, _excerpt, _require, _unknown_keys

STANCE_VALUES = ("for", "partly", "against", "none")
DEFAULT_NONE_SUMMARY = "Tekstene vi har fra organisasjonen sier ikke noe om dette."


# --- Stances ------------------------------------------------------------------------------------


def statement_organisation(source: SourceData, statement: StatementData) -> OrganisationData:
    return statement.organisation or source.organisation


def first_owned_occurrence(text: str, quote: str, statements: list, *, span, owned) -> list | None:
    """The statements a verbatim quote covers in ``text``: at the first place where it stands in
    statements that are all ``owned`` (a quote must be the organisation's own words). ``span(s)``
    gives a statement's (start, end). Shared with the fixture exporter, which must predict it."""
    offset = 0
    while (found := find_normalised(text[offset:], quote)) is not None:
        begin, finish = offset + found[0], offset + found[1]
        covered = [s for s in statements if span(s)[0] < finish and span(s)[1] > begin]
        if covered and all(owned(s) for s in covered):
            return covered
        offset = begin + 1
    return None


def _evidence_for_quote(sources: list[SourceData], quote: str, org_slug: str) -> list[StatementData] | None:
    for source in sources:
        covered = first_owned_occurrence(
            source.text,
            quote,
            source.statements,
            span=lambda s: (s.parsed.start, s.parsed.end),
            owned=lambda s, source=source: statement_organisation(source, s).slug == org_slug,
        )
        if covered:
            return covered
    return None


def load_stances(
    path: Path,
    organisations: list[OrganisationData],
    topics: list[TopicData],
    sources: list[SourceData],
) -> list[StanceData]:
    file = TomlFile(path)
    orgs = {organisation.slug: organisation for organisation in organisations}
    topics_by_slug = {topic.slug: topic for topic in topics}
    sources_by_org: dict[str, list[SourceData]] = {}
    for source in sources:
        for slug in dict.fromkeys(statement_organisation(source, s).slug for s in source.statements):
            sources_by_org.setdefault(slug, []).append(source)

    cells: dict[tuple[str, str], tuple[StanceData, int]] = {}
    for entry, line in file.entries("stance"):
        _unknown_keys(
            file, entry, line, {"organisation", "topic", "value", "summary", "summary_en", "quotes", "status"}
        )
        org_slug = _require(file, entry, line, "organisation")
        if org_slug not in orgs:
            raise SourceError(
                file.path, file.field_line(line, "organisation"), f"unknown organisation {org_slug!r}"
            )
        topic_slug = _require(file, entry, line, "topic")
        if topic_slug not in topics_by_slug:
            raise SourceError(file.path, file.field_line(line, "topic"), f"unknown topic {topic_slug!r}")
        if (org_slug, topic_slug) in cells:
            first_line = cells[(org_slug, topic_slug)][1]
            raise SourceError(
                file.path,
                line,
                f"the cell {org_slug} × {topic_slug} is given twice (first on line {first_line})",
            )
        value = _choice(file, entry, line, "value", STANCE_VALUES)
        quotes = entry.get("quotes", [])
        if not isinstance(quotes, list) or not all(isinstance(q, str) and q.strip() for q in quotes):
            raise SourceError(
                file.path, file.field_line(line, "quotes"), "'quotes' must be a list of non-empty strings"
            )
        if value == "none":
            if quotes:
                raise SourceError(
                    file.path,
                    file.field_line(line, "quotes"),
                    "a 'none' stance (no stated position) cannot cite quotes; choose for, partly or against",
                )
            summary = entry.get("summary") or DEFAULT_NONE_SUMMARY
        else:
            summary = _require(file, entry, line, "summary")
            if not quotes:
                raise SourceError(
                    file.path,
                    line,
                    f"the stance {org_slug} × {topic_slug} is '{value}' but cites no quotes; "
                    "every stated position needs at least one verbatim quote",
                )
        evidence: list[StatementData] = []
        any_certain = False
        for quote in quotes:
            found = _evidence_for_quote(sources_by_org.get(org_slug, []), quote, org_slug)
            if found is None:
                raise SourceError(
                    file.path,
                    file.text_line(file.field_line(line, "quotes"), quote),
                    f"quote not found verbatim in {org_slug}'s source texts: «{_excerpt(quote, 80)}»",
                )
            if headings := [statement for statement in found if statement.parsed.kind == "heading"]:
                raise SourceError(
                    file.path,
                    file.text_line(file.field_line(line, "quotes"), quote),
                    f"the quote covers the heading «{_excerpt(headings[0].parsed.text, 60)}»: a heading "
                    "is never evidence; quote the statement under it",
                )
            any_certain = any_certain or not any(statement.uncertain_note for statement in found)
            evidence.extend(s for s in found if s not in evidence)
        if quotes and not any_certain:
            raise SourceError(
                file.path,
                file.field_line(line, "quotes"),
                f"every quote for {org_slug} × {topic_slug} comes from a passage of uncertain attribution; "
                "cite at least one passage the organisation certainly wrote",
            )
        for statement in evidence:
            if not statement.topics_final:
                statement.topics.add(topic_slug)
        cells[(org_slug, topic_slug)] = (
            StanceData(
                pk=0,
                organisation=orgs[org_slug],
                topic=topics_by_slug[topic_slug],
                value=value,
                summary=normalise_whitespace(summary),
                evidence=sorted(evidence, key=lambda s: s.pk),
                status=_choice(file, entry, line, "status", STATUSES) if "status" in entry else "published",
                summary_en=normalise_whitespace(entry.get("summary_en", "")),
                quotes=list(quotes),
            ),
            line,
        )

    missing = [f"{o.slug} × {t.slug}" for o in organisations for t in topics if (o.slug, t.slug) not in cells]
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        raise SourceError(
            file.path,
            len(file.lines),
            f"{len(missing)} cell(s) have no stance: {shown}. Every organisation × topic cell must be "
            'decided; write value = "none" where the texts say nothing',
        )
    stances = [cells[(o.slug, t.slug)][0] for o in organisations for t in topics]
    for pk, stance in enumerate(stances, 1):
        stance.pk = pk
    return stances
