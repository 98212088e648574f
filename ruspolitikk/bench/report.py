"""The benchmark's results: one row per load run, kept as JSON per leg, printed as one table.

A leg (one database) is saved on its own, because ``make bench`` runs the PostgreSQL leg in
another process (inside ``.ci/with-postgres``); ``python -m ruspolitikk.bench report`` reads the
legs back and prints one table. The ratio column divides a row's requests per second by those of
the grid's HTML served as a static file by the same server, at the same number of clients.
"""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATIC = "static"


@dataclass(frozen=True)
class Row:
    database: str
    cache: str  # "on", "off", or STATIC for the static copy
    page: str
    clients: int
    duration_s: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests_per_second: float
    errors: int
    error_kinds: dict[str, int] = field(default_factory=dict)  # e.g. {"status": 3, "timeout": 1}

    def errors_cell(self) -> str:
        """The count, and its kinds when there are any: a 5xx reads differently from a timeout."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in self.error_kinds.items() if count)
        return f"{self.errors} ({kinds})" if kinds else str(self.errors)


@dataclass
class Leg:
    database: str
    server: str  # how gunicorn ran, e.g. "3 workers × 4 threads"
    renders: int
    render_ms: dict[str, float] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Leg":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{**data, "rows": [Row(**row) for row in data["rows"]]})


def static_ratio(row: Row, rows: list[Row]) -> float | None:
    """This row's throughput over the static copy's, same database and clients; None if unknown."""
    if row.cache == STATIC:
        return None
    for other in rows:
        if other.cache == STATIC and other.database == row.database and other.clients == row.clients:
            return row.requests_per_second / other.requests_per_second if other.requests_per_second else None
    return None


HEADER = (
    "database",
    "cache",
    "page",
    "clients",
    "s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "req/s",
    "errors",
    "÷static",
)
NUMERIC = {"clients", "s", "p50 ms", "p95 ms", "p99 ms", "req/s", "errors", "÷static"}


def cells(row: Row, ratio: float | None) -> tuple[str, ...]:
    return (
        row.database,
        row.cache,
        row.page,
        str(row.clients),
        str(row.duration_s),
        f"{row.p50_ms:.1f}",
        f"{row.p95_ms:.1f}",
        f"{row.p99_ms:.1f}",
        f"{row.requests_per_second:.0f}",
        row.errors_cell(),
        "-" if ratio is None else f"{ratio:.2f}",
    )


def format_table(rows: list[Row]) -> str:
    lines = [HEADER, *(cells(row, static_ratio(row, rows)) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]

    def justify(line):
        return "  ".join(
            cell.rjust(width) if name in NUMERIC else cell.ljust(width)
            for name, cell, width in zip(HEADER, line, widths, strict=True)
        ).rstrip()

    text = [justify(line) for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)


def format_row(row: Row) -> str:
    """One row as the run goes (no ratio yet: the static rows come last)."""
    return (
        f"[{row.database}] cache {row.cache:<6} {row.page:<20} "
        f"{row.clients:>3} clients {row.duration_s:>3} s: "
        f"p50 {row.p50_ms:.1f} / p95 {row.p95_ms:.1f} / p99 {row.p99_ms:.1f} ms, "
        f"{row.requests_per_second:.0f} req/s, {row.errors_cell()} errors"
    )


def format_render_times(legs: list[Leg]) -> str:
    lines = []
    for leg in legs:
        times = ", ".join(f"{page} {ms:.1f} ms" for page, ms in leg.render_ms.items())
        lines.append(f"{leg.database}: {times} (median of {leg.renders}, page cache off)")
    return "In-process render, through Django's test client:\n" + "\n".join(f"  {line}" for line in lines)


def format_report(legs: list[Leg]) -> str:
    rows = [row for leg in legs for row in leg.rows]
    servers = "; ".join(f"{leg.database}: gunicorn {leg.server}" for leg in legs)
    return f"{format_table(rows)}\n\n{format_render_times(legs)}\n\nServers: {servers}"
