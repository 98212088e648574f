from django.core.management.base import BaseCommand

from positions.export import export_rows, to_csv, to_json
from positions.grid import build_grid


class Command(BaseCommand):
    help = (
        "Print every organisation × topic cell (all levels, 'none' included) with stance, summary "
        "and evidence (quote, source title, source date), as JSON or CSV. Published data only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--base-url", default="", help="Prefix for quote links, e.g. https://ruspolitikk.no"
        )

    def handle(self, *args, format: str, base_url: str, **options):
        grid = build_grid(levels=None)
        rows = export_rows(grid, base_url=base_url.rstrip("/"))
        self.stdout.write(to_json(rows) if format == "json" else to_csv(rows), ending="")
