"""Driving load with wrk and reading what it measured.

wrk (Debian package ``wrk``; ``make bench`` installs it) keeps its connections open and sends
requests as fast as the server answers, from an event loop that costs far less CPU than the app
it measures. ``percentiles.lua`` beside this module makes it print p50/p95/p99, the request
count and the errors as one JSON line, which ``parse`` reads.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).with_name("percentiles.lua")
MARKER = "BENCH_JSON "
ERROR_KINDS = ("status", "connect", "read", "write", "timeout")


class WrkError(Exception):
    """wrk is missing, failed, or printed no result."""


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    duration_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: dict[str, int]

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def error_count(self) -> int:
        """Responses that were not 2xx/3xx, plus connect, read, write errors and timeouts."""
        return sum(self.errors.values())


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkError("wrk is not installed: apt-get install -y wrk (make bench installs it).")
    return path


def command(
    url: str, *, connections: int, duration_s: int, threads: int = 1, timeout_s: int = 10, headers=None
) -> list[str]:
    """wrk's arguments; a request unanswered after ``timeout_s`` counts as an error, not a latency."""
    args = [
        "wrk",
        f"--connections={connections}",
        f"--threads={max(1, min(threads, connections))}",
        f"--duration={duration_s}s",
        f"--timeout={timeout_s}s",
        f"--script={LUA_SCRIPT}",
    ]
    for name, value in (headers or {}).items():
        args += ["--header", f"{name}: {value}"]
    return [*args, url]


def parse(output: str) -> Load:
    """Read the line percentiles.lua printed; wrk's own summary above it is ignored."""
    for line in reversed(output.splitlines()):
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            return Load(
                requests=int(data["requests"]),
                duration_s=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1000,
                p95_ms=data["p95_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                errors={kind: int(data[kind]) for kind in ERROR_KINDS},
            )
    raise WrkError(f"wrk printed no {MARKER.strip()} line:\n{output}")


def run(url: str, *, connections: int, duration_s: int, threads: int = 1, headers=None) -> Load:
    """Load ``url`` (a loopback address) from ``connections`` clients for ``duration_s`` seconds."""
    require_wrk()
    args = command(url, connections=connections, duration_s=duration_s, threads=threads, headers=headers)
    try:
        completed = subprocess.run(args, capture_output=True, text=True, timeout=duration_s + 30, check=False)
    except subprocess.TimeoutExpired as error:
        raise WrkError(f"wrk did not finish within {duration_s + 30} s: {' '.join(args)}") from error
    if completed.returncode != 0:
        raise WrkError(f"wrk exited with {completed.returncode}:\n{completed.stdout}{completed.stderr}")
    return parse(completed.stdout)
