"""Mechanical checks of what a stance says, run by the build (``build_fixtures --check`` fails on them).

1. **A summary names only its own organisation.** A party's name or short name from
   ``organisations.toml`` (and a branch's name), matched case-sensitively and word-bounded
   ("Venstre" does not match "Venstreparti", "Sp" does not match "sp"), must not appear in the
   summary of another party's stance. A branch may name its own party.

2. **A quote whose referent stands elsewhere is quoted with it.** A quote that *starts* with one
   of the words below points back to something the reader has not been shown; the stance must
   then also quote (some of) the sentence right before it in the source. What is flagged
   (case-insensitive, whole words, at the very start of the quote):

   - demonstratives: Dette, Denne, Disse, Slik, Slike, Slikt, Sånn, Sånne, Sånt;
   - the pronouns De, Dei, Den only when a finite verb follows (er, var, har, hadde, må, skal, vil,
     kan, bør, får, gir, mener, ønsker, blir, vart, vert): "Den må styrkes" is flagged, while the
     determiner in "Den beste løsningen …", "Den enkelte …", "De Grønne" or "Den som …" names its
     own referent and is not;
   - "et/eit slikt", "en/ein slik", "et/eit sånt", "en/ein sånn";
   - connectives that carry the previous sentence's claim: Dermed, Derfor, Da, Dessuten, Likevel;
   - "Det" only when the next word is a verb that takes it as an agent (gir, betyr, innebærer,
     fører, handler, sikrer, bidrar, gjør, viser, vil gi): "Det er viktig …", "Det må …",
     "Det trengs …" use "det" as a dummy subject and are not flagged. This misses a referential
     "Det er Høyres løsning" and can flag a rare dummy "Det gjør"; it is a heuristic, kept small
     and honest, not a parser.

   The previous sentence is the
   text before the quote in the same source, back to the last ., ! or ? or line break; a quote at
   the very start of a source has none and passes.

Failures are all reported at once. ``fixtures/coding/known_referent_issues.toml`` lists the ones
known today (``[[issue]]`` with organisation, topic, check = "referent" | "organisation" and
detail = the quote or the name); those are reported as warnings until the stances are rewritten
and the list is emptied.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .text import find_normalised, normalise_whitespace

PRONOUN_VERBS = r"er|var|har|hadde|må|skal|vil|kan|bør|får|gir|mener|ønsker|blir|vart|vert"
ALWAYS = (
    r"dette|denne|disse|slik|slike|slikt|sånn|sånne|sånt"
    rf"|(?:de|dei|den)\s+(?:{PRONOUN_VERBS})"
    r"|e[i]?t\s+slikt|e[i]?n\s+slik|e[i]?t\s+sånt|e[i]?n\s+sånn"
    r"|dermed|derfor|da|dessuten|likevel"
)
DET_VERBS = r"gir|betyr|innebærer|fører|handler|sikrer|bidrar|gjør|viser|vil\s+gi"
REFERENT_START = re.compile(rf"^\W*(?:(?:{ALWAYS})|det\s+(?:{DET_VERBS}))\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?]\s|\n")
ALLOW_LIST = Path("coding") / "known_referent_issues.toml"


@dataclass(frozen=True)
class Failure:
    organisation: str
    topic: str
    check: str  # "referent" | "organisation"
    detail: str  # the quote, or the other organisation's name
    message: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.organisation, self.topic, self.check, normalise_whitespace(self.detail))


def needs_referent(quote: str) -> bool:
    return bool(REFERENT_START.match(quote.strip()))


def _owned_span(sources, quote: str, org_slug: str):
    """(source, begin, end) of the first place the quote stands in the organisation's own text."""
    for source in sources:
        offset = 0
        while (found := find_normalised(source.text[offset:], quote)) is not None:
            begin, end = offset + found[0], offset + found[1]
            covered = [s for s in source.statements if s.parsed.start < end and s.parsed.end > begin]
            if covered and all((s.organisation or source.organisation).slug == org_slug for s in covered):
                return source, begin, end
            offset = begin + 1
    return None


def previous_sentence(text: str, begin: int) -> tuple[int, int] | None:
    """The span of the sentence right before ``begin`` (ignoring whitespace), or None at the start."""
    end = begin
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0:
        return None
    head = text[: end - 1]  # the previous sentence's own closing mark is not its start
    starts = [match.end() for match in SENTENCE_END.finditer(head)]
    start = starts[-1] if starts else 0
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if start < end else None


def _name_patterns(organisations) -> dict[str, list[tuple[str, re.Pattern]]]:
    """For each organisation slug: the names that belong to OTHER parties, as word-bounded patterns."""
    names_by_party: dict[str, set[str]] = {}
    for org in organisations:
        names = names_by_party.setdefault(org.party.slug, set())
        names.update({org.party.name, org.party.short_name, org.name})
    patterns = {}
    for org in organisations:
        own = names_by_party[org.party.slug]
        others = sorted(
            {name for party, names in names_by_party.items() if party != org.party.slug for name in names}
        )
        patterns[org.slug] = [
            (name, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)"))
            for name in others
            if name and name not in own
        ]
    return patterns


def find_failures(result) -> list[Failure]:
    """Every summary naming another organisation, every referent quote without its antecedent."""
    failures: list[Failure] = []
    patterns = _name_patterns(result.organisations)
    for stance in result.stances:
        org, topic = stance.organisation.slug, stance.topic.slug
        for summary in (stance.summary, stance.summary_en):
            for name, pattern in patterns[org]:
                if summary and pattern.search(summary):
                    failures.append(
                        Failure(org, topic, "organisation", name, f"the summary names {name}, not {org}")
                    )
        quotes = getattr(stance, "quotes", [])
        spans = {quote: _owned_span(result.sources, quote, org) for quote in quotes}
        for quote in quotes:
            if not needs_referent(quote) or spans[quote] is None:
                continue
            source, begin, _ = spans[quote]
            before = previous_sentence(source.text, begin)
            if before is None:
                continue
            covered = any(
                other is not None and other[0] is source and other[1] < before[1] and other[2] > before[0]
                for key, other in spans.items()
                if key != quote
            )
            if not covered:
                failures.append(
                    Failure(
                        org,
                        topic,
                        "referent",
                        quote,
                        f"«{quote[:60]}» starts with a word whose referent is elsewhere; quote the sentence "
                        f"before it too: «{normalise_whitespace(source.text[before[0] : before[1]])[:80]}»",
                    )
                )
    return failures


def read_allow_list(path: Path) -> set[tuple[str, str, str, str]]:
    if not path.exists():
        return set()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SourceError(path, getattr(error, "lineno", 0), f"not valid TOML: {error}") from None
    keys = set()
    for entry in data.get("issue", []):
        missing = [name for name in ("organisation", "topic", "check", "detail") if not entry.get(name)]
        if missing or entry["check"] not in ("referent", "organisation"):
            raise SourceError(path, 0, f"an [[issue]] needs organisation, topic, check and detail: {entry}")
        keys.add(
            (entry["organisation"], entry["topic"], entry["check"], normalise_whitespace(entry["detail"]))
        )
    return keys


def check_stance_texts(data_dir: Path, result, stances_path: Path) -> list[str]:
    """Raise SourceError listing every failure not on the allow-list; return warnings for the rest."""
    allowed = read_allow_list(data_dir / ALLOW_LIST)
    failures = find_failures(result)
    new = [failure for failure in failures if failure.key not in allowed]
    if new:
        lines = "\n".join(f"  {f.organisation} × {f.topic}: {f.message}" for f in new)
        raise SourceError(stances_path, 0, f"{len(new)} stance(s) fail the mechanical checks:\n{lines}")
    found = {failure.key for failure in failures}
    warnings = [f"known issue, still to fix: {f.organisation} × {f.topic}: {f.message}" for f in failures]
    warnings += [
        f"{ALLOW_LIST}: no longer fails, remove it: {' / '.join(key)}" for key in sorted(allowed - found)
    ]
    return warnings
