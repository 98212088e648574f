"""How cost grows with the data (issue 8 §3): the seed against a synthetic set, uncached.

    python -m ruspolitikk.bench.scale --size small            # minutes: 300 organisations
    python -m ruspolitikk.bench.scale --size national         # the issue's national size, once
    .ci/with-postgres python -m ruspolitikk.bench.scale ...   # the same on PostgreSQL

The synthetic set is generated into its own database (a SQLite file under .tmp/bench/, or a
database beside DATABASE_URL's on PostgreSQL) named by the generator's parameters and a hash of
its code, so a second run reuses it. Each page is requested in-process through Django's test
client with PAGE_CACHE=0 (one process per database, so peak RSS is that process's), p95 over
``--requests`` requests after a warm-up, the seed and the set taking turns (``measure``); the
export is streamed to the end and its peak RSS reported. Printed: one table with the targets
beside the figures, the ratio synthetic ÷ seed p95, generation time and database sizes.
"""

import argparse
import functools
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ruspolitikk.bench.render import valgomat_result_path
from ruspolitikk.bench.server import BASE_DIR, HOST, PROXY_HEADERS, production_environment

SIZES = {
    "national": {"organisations": 3000, "topics": 30, "statements": 500_000},
    "small": {"organisations": 300, "topics": 20, "statements": 20_000},
}
# page: (path, or a function of the database giving it; htmx?; target p95 in ms from the issue, or None)
PAGES = {
    "grid, national": ("/", False, 150),  # the front page: the national parties
    "grid, one level": ("/?niva=municipal", False, 150),  # the largest level, 20 rows a page
    "evidence fragment": ("/parti/ap/tema/lar/", True, 20),
    "topic page": ("/tema/lar/", False, 150),
    "search": ("/sok/?q=behandling", False, 50),  # very common: found by a probe in id order
    # A rarer word, and the form's own first example: found by the GIN index (positions.search).
    "search, GIN index": ("/sok/?q=sprøyterom", False, 50),
    # A journalist's filter: a level of 135 branches, where a probe of that level falls short.
    "search, filtered": ("/sok/?q=sprøyterom&niva=county", False, 50),
    "organisation page": ("/parti/ap/", False, 150),  # a national party: every branch, every period
    "branch page": ("/parti/{branch}/", False, 150),  # Horten Venstre: a municipal branch in both sets
    "source page": ("/kilde/{longest_source}/", False, 150),  # its first page of statements
    # Every topic of the set answered, every level: the voter render.py times at seed size (issue 10).
    "valgomat, all levels": (functools.partial(valgomat_result_path, all_levels=True), False, 100),
}
EVERY_LEVEL = "?niva=national&niva=county&niva=municipal&niva=youth"
EXPORTS = {
    "CSV export": "/eksport.csv",  # the national parties: the export link's default
    "JSON export": "/eksport.json",
    "CSV export, all": f"/eksport.csv{EVERY_LEVEL}",  # the full national export
    "JSON export, all": f"/eksport.json{EVERY_LEVEL}",
}
RSS_TARGET_MB = 200


def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted((Path(BASE_DIR) / "ruspolitikk" / "synthetic").glob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def key(params: dict) -> str:
    return f"synthetic_{params['organisations']}_{params['topics']}_{params['statements']}_{code_version()}"


def with_database(url: str, name: str) -> str:
    """``url`` with another database name (the socket may be in the query: ``?host=/run``)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_urls(params: dict, work: Path, base: str = "") -> tuple[str, str]:
    """(seed, synthetic) database URLs for ``base``'s engine (a PostgreSQL URL, or SQLite)."""
    if base.startswith(("postgres://", "postgresql://")):
        return with_database(base, "bench_seed"), with_database(base, key(params))
    return f"sqlite:///{work / 'seed.sqlite3'}", f"sqlite:///{work / (key(params) + '.sqlite3')}"


def _run(env, *args, timeout=None) -> str:
    done = subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _create_postgres_database(url: str, *, fresh: bool) -> bool:
    """Create the database if missing (or anew); True when it already existed (may be reused)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return True
        conn.execute(f'CREATE DATABASE "{name}"')
        return False


def prepare(url: str, env: dict, *, params: dict | None, log) -> dict:
    """Migrate and fill one database unless it already holds the synthetic set asked for (the seed
    is rebuilt every time: it takes seconds and follows the fixtures); its facts."""
    marker = None
    fresh = params is None
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        marker = path.with_suffix(".done")
        if fresh:
            path.unlink(missing_ok=True)
            marker.unlink(missing_ok=True)
        exists = marker.exists() and path.exists()
    else:
        exists = _create_postgres_database(url, fresh=fresh) and _run(
            env, "manage.py", "shell", "--no-imports", "-c", _DONE_QUERY
        ).split() == ["1"]
    facts = {"generated_s": None, "reused": exists}
    # Loading is not a web request: the one-second deadline for a database that stops answering
    # would cut the bulk load's commit short (it takes seconds at national size).
    env = env | {"DATABASE_DEADLINE": "600"}
    if not exists:
        _run(env, "manage.py", "migrate", "--no-input", "-v", "0")
        if params is None:
            _run(env, "manage.py", "load_data", "-v", "0")
        else:
            log(f"generating {params} …")
            started = time.monotonic()
            args = [f"--{name}={value}" for name, value in params.items()]
            log(_run(env, "manage.py", "generate_synthetic", "--replace", *args).strip())
            facts["generated_s"] = round(time.monotonic() - started, 1)
        if marker:
            marker.write_text(json.dumps(facts))
    else:
        # A reused set follows the schema too: an index added since it was generated is built on it
        # (the generator's code, which names the set, does not change with a migration).
        _run(env, "manage.py", "migrate", "--no-input", "-v", "0")
        if marker:
            facts["generated_s"] = json.loads(marker.read_text())["generated_s"]
    return facts


_DONE_QUERY = "from positions.models import Stance; print(int(Stance.objects.exists()))"


def page_names() -> dict[str, str]:
    """What a page's path names differs between the seed and a synthetic set: the source with the
    most published statements (the longest text to page through), and a municipal branch (Horten
    Venstre, in the seed and in every set large enough to reach Horten)."""
    from django.db.models import Count, Q

    from parties.models import Organisation
    from positions.models import Source

    branches = Organisation.objects.exclude(level="national").order_by("pk")
    branch = (
        branches.filter(slug="horten-venstre").first()
        or branches.filter(level="municipal").first()
        or branches.first()
    )

    longest = (
        Source.objects.annotate(n=Count("statements", filter=Q(statements__status="published")))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    return {"longest_source": longest, "branch": branch.slug}


WARM_UP = 3  # untimed requests of a page before its first timed one, in each database
ROUNDS = 4  # each page's requests come in this many turns, the seed's and the set's alternating


class Pages:
    """One database's side of the measurement, in the process whose DATABASE_URL names it (the
    ``--measure`` worker): a page's requests on demand, then the exports and the database's size."""

    def __init__(self):
        import django

        django.setup()
        from django.test import Client

        from ruspolitikk.heap import load_and_freeze

        load_and_freeze()  # as gunicorn does before it forks a worker
        self.client = Client(headers={"Host": HOST, **PROXY_HEADERS})
        self.names = page_names()
        self.warm = set()

    def time(self, page: str, requests: int) -> list[float]:
        """``requests`` timed requests of ``page`` (ms), after its warm-up the first time."""
        path, htmx, _target = PAGES[page]
        path = path() if callable(path) else path.format(**self.names)
        extra = {"HX-Request": "true"} if htmx else {}
        if page not in self.warm:
            for _ in range(WARM_UP):
                assert self.client.get(path, headers=extra).status_code == 200, path
            self.warm.add(page)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = self.client.get(path, headers=extra)
            assert response.status_code == 200, (path, response.status_code)
            timings.append((time.perf_counter() - started) * 1000)
        return timings

    def exports(self) -> dict:
        """Each export streamed to the end once (ms, peak RSS of this process), and the database's size."""
        import resource

        from django.db import connection

        result = {"ms": {}, "rss_mb": {}, "export_mb": {}}
        for page, path in EXPORTS.items():
            started = time.perf_counter()
            response = self.client.get(path)
            size = sum(len(chunk) for chunk in response) if response.streaming else len(response.content)
            result["ms"][page] = round((time.perf_counter() - started) * 1000, 1)
            result["rss_mb"][page] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            result["export_mb"][page] = round(size / 1e6, 1)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_database_size(current_database())")
                result["db_mb"] = round(cursor.fetchone()[0] / 1e6, 1)
            else:
                result["db_mb"] = round(Path(connection.settings_dict["NAME"]).stat().st_size / 1e6, 1)
        return result


def serve_measurements() -> None:
    """The ``--measure`` worker: a JSON request a line on stdin (``["time", page, n]`` or
    ``["exports"]``), its answer a JSON line on stdout."""
    pages = Pages()
    print(json.dumps("ready"), flush=True)
    for line in sys.stdin:
        command, *args = json.loads(line)
        answer = pages.time(*args) if command == "time" else pages.exports()
        print(json.dumps(answer), flush=True)


class Worker:
    """A ``--measure`` worker process on one database (its environment), asked line by line."""

    def __init__(self, env: dict):
        command = [sys.executable, "-m", "ruspolitikk.bench.scale", "--measure"]
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self._answer()  # "ready": Django is set up

    def ask(self, *command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def _answer(self):
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"a measuring process stopped (exit {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def measure(workers: dict, requests: int, budget_s: float) -> dict:
    """p95 per page over ``requests`` requests in each database (fewer, but at least 3, once a
    page has taken ``budget_s`` in one of them), then each worker's exports.

    The two databases take turns: each page's requests come in ``ROUNDS`` turns, alternating
    which goes first, so a slow spell of a shared machine falls on both sides of the ratio rather
    than on whichever database was being measured at the time."""
    timings = {label: {} for label in workers}
    per_turn = max(1, -(-requests // ROUNDS))
    for page in PAGES:
        spent = dict.fromkeys(workers, 0.0)
        done = {label: [] for label in workers}
        for turn in range(ROUNDS):
            order = list(workers) if turn % 2 == 0 else list(reversed(workers))
            for label in order:
                left = requests - len(done[label])
                if left <= 0 or (len(done[label]) >= 3 and spent[label] > budget_s * 1000):
                    continue
                batch = workers[label].ask("time", page, min(per_turn, left))
                done[label] += batch
                spent[label] += sum(batch)
        for label, values in done.items():
            timings[label][page] = sorted(values)
    results = {}
    for label, worker in workers.items():
        exports = worker.ask("exports")
        p95 = {page: round(v[min(len(v) - 1, int(len(v) * 0.95))], 1) for page, v in timings[label].items()}
        results[label] = {
            "p95_ms": p95 | exports["ms"],
            "rss_mb": exports["rss_mb"],
            "export_mb": exports["export_mb"],
            "db_mb": exports["db_mb"],
            "requests": {page: len(v) for page, v in timings[label].items()},
        }
    return results


def table(engine: str, params: dict, seed: dict, synthetic: dict, facts: dict) -> str:
    lines = [
        f"{engine}: {params['organisations']} organisations, {params['topics']} topics, "
        f"{params['statements']} statements; generated in {facts['generated_s']} s"
        f"{' (reused)' if facts['reused'] else ''}; "
        f"database {synthetic['db_mb']} MB (seed {seed['db_mb']} MB)",
        f"{'page':<20} {'p95 ms':>9} {'target':>8} {'seed p95':>9} {'ratio':>6} {'peak RSS MB':>12} {'n':>4}",
    ]
    for page in [*PAGES, *EXPORTS]:
        target = PAGES[page][2] if page in PAGES else None
        mine, base = synthetic["p95_ms"][page], seed["p95_ms"][page]
        rss = synthetic["rss_mb"].get(page)
        rss_cell = f"{rss} (<{RSS_TARGET_MB})" if rss is not None else ""
        n = synthetic.get("requests", {}).get(page, 1)
        lines.append(
            f"{page:<20} {mine:>9} {('<' + str(target)) if target else '':>8} {base:>9} "
            f"{mine / base if base else 0:>6.1f} {rss_cell:>12} {n:>4}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ruspolitikk.bench.scale", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--size", choices=SIZES, default="small")
    for name in ("organisations", "topics", "statements"):
        parser.add_argument(f"--{name}", type=int, help=f"override the size's {name}")
    # 100: the p95 of 40 was their second slowest, one slow spell of a shared machine; of 100, the
    # fifth slowest.
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page (default 100)")
    parser.add_argument(
        "--work", type=Path, default=Path(BASE_DIR) / ".tmp" / "bench", help="SQLite files here"
    )
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds a page may take before fewer requests"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.measure:
        serve_measurements()
        return 0
    params = {k: getattr(options, k) or v for k, v in SIZES[options.size].items()}
    work = options.work
    seed_url, synthetic_url = database_urls(params, work, os.environ.get("DATABASE_URL", ""))
    engine = "postgresql" if seed_url.startswith("postgres") else "sqlite"
    log = lambda line: print(f"[{engine}] {line}", flush=True)  # noqa: E731
    environments, facts = {}, {}
    for label, url, what in (("seed", seed_url, None), ("synthetic", synthetic_url, params)):
        env = production_environment(url, cache_dir=work / "cache")
        env["PAGE_CACHE"] = "0"
        env["DJANGO_SETTINGS_MODULE"] = "ruspolitikk.settings"
        facts[label] = prepare(url, env, params=what, log=log)
        if label == "seed":
            _run(env, "manage.py", "collectstatic", "--no-input", "-v", "0")  # one copy serves both
        environments[label] = env
    log("measuring the seed and the synthetic set, taking turns …")
    workers = {label: Worker(env) for label, env in environments.items()}
    try:
        results = measure(workers, options.requests, options.budget)
    finally:
        for worker in workers.values():
            worker.close()
    print(table(engine, params, results["seed"], results["synthetic"], facts["synthetic"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
