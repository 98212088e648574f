"""``python -m ruspolitikk.bench.scale``: where the synthetic set is kept, and a real run at a tiny size."""

import os
import sqlite3
import subprocess
import sys

from ruspolitikk.bench import scale
from ruspolitikk.bench.server import BASE_DIR

TINY = {"organisations": 20, "topics": 10, "statements": 300}


def test_the_synthetic_database_is_named_by_the_generators_parameters_and_code(tmp_path):
    seed, synthetic = scale.database_urls(TINY, tmp_path)
    assert seed == f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    assert synthetic.startswith(f"sqlite:///{tmp_path}/synthetic_20_10_300_")
    assert scale.database_urls({**TINY, "statements": 301}, tmp_path)[1] != synthetic
    assert scale.key(TINY).endswith(scale.code_version())


def test_on_postgresql_the_sets_are_databases_beside_database_urls():
    base = "postgres://u:p@/ruspolitikk?host=/tmp/pg/run"
    seed, synthetic = scale.database_urls(TINY, BASE_DIR, base)
    assert seed == "postgres://u:p@/bench_seed?host=/tmp/pg/run"
    assert synthetic == f"postgres://u:p@/{scale.key(TINY)}?host=/tmp/pg/run"


def test_a_real_run_prints_every_page_with_its_target_and_ratio_and_reuses_the_set_migrated(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    args = [sys.executable, "-m", "ruspolitikk.bench.scale", "--work", str(tmp_path), "--requests", "2"]
    args += [f"--{name}={value}" for name, value in TINY.items()]
    first = subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True).stdout
    assert "Made 9 parties, 20 organisations" in first
    for page in [*scale.PAGES, *scale.EXPORTS]:
        assert page in first
    assert "<150" in first and "<20" in first and "(<200)" in first
    assert "valgomat, all levels" in first and "<100" in first
    # The set predates a migration (as after a new index): reusing it applies the migration.
    synthetic = scale.database_urls(TINY, tmp_path)[1].removeprefix("sqlite:///")
    with sqlite3.connect(synthetic) as database:
        newest = database.execute(
            "SELECT MAX(name) FROM django_migrations WHERE app = 'positions'"
        ).fetchone()[0]
    previous = f"{int(newest[:4]) - 1:04d}"
    migrate_back = [sys.executable, "manage.py", "migrate", "positions", previous, "-v", "0"]
    subprocess.run(
        migrate_back, cwd=BASE_DIR, env=env | {"DATABASE_URL": f"sqlite:///{synthetic}"}, check=True
    )
    second = subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True).stdout
    assert "Made" not in second and "(reused)" in second
    with sqlite3.connect(synthetic) as database:
        applied = {
            name for (name,) in database.execute("SELECT name FROM django_migrations WHERE app = 'positions'")
        }
    assert newest in applied


class FakeWorker:
    """A measuring process that answers at once: page timings of ``ms`` each, and fixed exports."""

    def __init__(self, label, calls, ms):
        self.label, self.calls, self.ms = label, calls, ms

    def ask(self, command, *args):
        self.calls.append((self.label, command, *args))
        if command == "time":
            _page, n = args
            return [self.ms] * n
        return {"ms": dict.fromkeys(scale.EXPORTS, 5.0), "rss_mb": {}, "export_mb": {}, "db_mb": 1.0}


def test_the_seed_and_the_set_take_turns_page_by_page_and_each_gets_every_request():
    calls = []
    workers = {"seed": FakeWorker("seed", calls, 2.0), "synthetic": FakeWorker("synthetic", calls, 6.0)}
    results = scale.measure(workers, requests=10, budget_s=60)
    first_page = next(iter(scale.PAGES))
    turns = [
        (label, n)
        for label, command, *args in calls
        if command == "time" and args[0] == first_page
        for n in [args[1]]
    ]
    # Four turns of at most ceil(10 / 4) = 3 requests, the first to go alternating: 3 + 3 + 3 + 1.
    assert [label for label, _n in turns] == ["seed", "synthetic", "synthetic", "seed"] * 2
    assert (
        sum(n for label, n in turns if label == "seed")
        == sum(n for label, n in turns if label == "synthetic")
        == 10
    )
    assert results["seed"]["p95_ms"][first_page] == 2.0 and results["synthetic"]["p95_ms"][first_page] == 6.0
    assert results["synthetic"]["requests"][first_page] == 10
    assert [call[:2] for call in calls[-2:]] == [("seed", "exports"), ("synthetic", "exports")]


def test_a_page_over_its_budget_stops_after_three_requests_on_that_side():
    calls = []
    workers = {"seed": FakeWorker("seed", calls, 1.0), "synthetic": FakeWorker("synthetic", calls, 30_000.0)}
    results = scale.measure(workers, requests=40, budget_s=60)
    page = next(iter(scale.PAGES))
    assert results["seed"]["requests"][page] == 40
    assert results["synthetic"]["requests"][page] == 10  # one turn of 10 (≥ 3) took 300 s > 60 s
