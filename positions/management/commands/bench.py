"""``manage.py bench``: production-like latency and throughput of the public pages.

Serves the app with gunicorn (DEBUG off, hashed static files) on the database DATABASE_URL
names, or a fresh SQLite file when unset, and prints a table. ``make bench`` runs it on SQLite
and then inside ``.ci/with-postgres``. See positions/bench.py.
"""

from django.core.management.base import BaseCommand, CommandError

from positions.bench import BenchmarkError, format_table, run_benchmark


class Command(BaseCommand):
    help = "Serve the app as production would and measure p50/p95 latency and req/s per page."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=300, help="measured requests per URL")
        parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per URL first")
        parser.add_argument("--concurrency", type=int, default=4, help="concurrent client threads")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--time-budget", type=float, default=60, help="seconds at most per URL")

    def handle(self, *args, **options):
        for name in ("requests", "concurrency", "workers"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        try:
            database, results = run_benchmark(
                requests=options["requests"],
                warmup=max(0, options["warmup"]),
                concurrency=options["concurrency"],
                workers=options["workers"],
                time_budget_s=options["time_budget"],
                log=lambda message: self.stderr.write(message),
            )
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(format_table(database, results))
