"""How far two independent, blind codings agree: raw agreement and Cohen's kappa, per topic and overall.

Inputs (``fixtures/coding/``): ``first.toml`` and ``second.toml``, each one ``[[cell]]`` per
organisation × topic with ``value`` (for | partly | against | none), and ``reconciliation.toml``,
one ``[[cell]]`` per disagreement with ``first``, ``second``, ``final`` and a one-line ``reason``.

Kappa is (p_o − p_e) / (1 − p_e), with p_o the share of cells coded alike and p_e the agreement
expected by chance from each coder's own shares of the four values. When p_e is 1 (both coders
gave every cell the same single value), kappa is not defined: we report raw agreement and say so,
rather than divide by zero. Computed with exact fractions; rounded only when shown.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .codebook import data_dir
from .errors import SourceError

VALUES = ("for", "partly", "against", "none")
CODING_FILES = ("first.toml", "second.toml")


@dataclass(frozen=True)
class Agreement:
    label: str  # a topic slug, or "" for all cells
    cells: int
    agreed: int
    kappa: Fraction | None  # None: not defined (expected agreement is 1)

    @property
    def raw(self) -> Fraction:
        return Fraction(self.agreed, self.cells) if self.cells else Fraction(0)

    @property
    def raw_percent(self) -> float:
        return float(self.raw * 100)

    @property
    def kappa_value(self) -> float | None:
        return None if self.kappa is None else float(self.kappa)


@dataclass
class AgreementReport:
    topics: list[Agreement]
    overall: Agreement
    reconciled: int
    disagreements: int
    unreconciled: list[tuple[str, str]] = field(default_factory=list)


def kappa(pairs: list[tuple[str, str]]) -> tuple[int, Fraction | None]:
    """(cells coded alike, Cohen's kappa or None where it is not defined) for (first, second) pairs."""
    n = len(pairs)
    if not n:
        return 0, None
    agreed = sum(first == second for first, second in pairs)
    firsts, seconds = Counter(p[0] for p in pairs), Counter(p[1] for p in pairs)
    expected = sum(Fraction(firsts[v], n) * Fraction(seconds[v], n) for v in set(firsts) | set(seconds))
    if expected == 1:
        return agreed, None
    return agreed, (Fraction(agreed, n) - expected) / (1 - expected)


def read_cells(path: Path, fields=("value",)) -> dict[tuple[str, str], dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SourceError(path, getattr(error, "lineno", 0), f"not valid TOML: {error}") from None
    cells: dict[tuple[str, str], dict] = {}
    for number, entry in enumerate(data.get("cell", []), 1):
        key = (entry.get("organisation", ""), entry.get("topic", ""))
        if not all(key):
            raise SourceError(path, 0, f"cell {number}: needs organisation and topic")
        if key in cells:
            raise SourceError(path, 0, f"the cell {key[0]} × {key[1]} is given twice")
        for name in fields:
            if entry.get(name) not in VALUES:
                raise SourceError(path, 0, f"{key[0]} × {key[1]}: {name} must be one of {', '.join(VALUES)}")
        cells[key] = entry
    return cells


def compute(directory: Path | None = None) -> AgreementReport | None:
    """The figures from the coding files in ``directory`` (default fixtures/coding/); None when
    the two codings are not there yet. Raises SourceError when they do not code the same cells."""
    directory = directory or data_dir() / "coding"
    if not all((directory / name).exists() for name in CODING_FILES):
        return None
    first, second = (read_cells(directory / name) for name in CODING_FILES)
    if set(first) != set(second):
        only = sorted(set(first) ^ set(second))
        shown = ", ".join(f"{o} × {t}" for o, t in only[:6])
        raise SourceError(directory / "second.toml", 0, f"the codings do not cover the same cells: {shown}")
    keys = sorted(first, key=lambda key: (key[1], key[0]))
    by_topic: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        by_topic.setdefault(key[1], []).append((first[key]["value"], second[key]["value"]))
    topics = [Agreement(topic, len(pairs), *kappa(pairs)) for topic, pairs in by_topic.items()]
    everything = [(first[key]["value"], second[key]["value"]) for key in keys]
    overall = Agreement("", len(everything), *kappa(everything))
    disagreements = [key for key in keys if first[key]["value"] != second[key]["value"]]
    path = directory / "reconciliation.toml"
    reconciled = read_cells(path, ("first", "second", "final")) if path.exists() else {}
    return AgreementReport(
        topics=topics,
        overall=overall,
        reconciled=sum(1 for key in disagreements if key in reconciled and reconciled[key].get("reason")),
        disagreements=len(disagreements),
        unreconciled=[
            key for key in disagreements if key not in reconciled or not reconciled[key].get("reason")
        ],
    )


def ordered(report: AgreementReport, topic_order: list[str]) -> list[Agreement]:
    """The per-topic rows in the grid's topic order (topics not in the database last)."""
    rank = {slug: index for index, slug in enumerate(topic_order)}
    return sorted(report.topics, key=lambda row: (rank.get(row.label, len(rank)), row.label))
