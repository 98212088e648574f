"""Norway's counties and municipalities (2024), from ``municipalities.csv`` (source in its header)."""

import csv
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("municipalities.csv")


@dataclass(frozen=True)
class Municipality:
    name: str
    county: str
    label: str  # the name, with the county where two municipalities share a name (Våler, Herøy)


@cache
def municipalities() -> tuple[Municipality, ...]:
    with DATA.open(encoding="utf-8") as stream:
        rows = [row for row in csv.reader(line for line in stream if not line.startswith("#"))]
    counts = Counter(name for _, name in rows)
    return tuple(
        Municipality(name, county, f"{name} ({county})" if counts[name] > 1 else name)
        for county, name in rows
    )


@cache
def counties() -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.county for m in municipalities()))
