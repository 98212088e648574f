from django.core.management.base import BaseCommand
from django.utils import timezone

from positions.export import applied_filters, export_rows, to_csv, to_json
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
        grid_kwargs = {"organisations": None, "topics": None, "levels": None, "stance_filters": []}
        rows = export_rows(build_grid(**grid_kwargs), base_url=base_url.rstrip("/"))
        if format == "json":
            filters = applied_filters(grid_kwargs, querystring="")
            self.stdout.write(to_json(rows, filters=filters, generated=timezone.now()), ending="")
        else:
            self.stdout.write(to_csv(rows), ending="")
