"""Write the database back out as the build's input files (fixtures/*.toml, fixtures/sources/)."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from positions.fixture_export import export_fixtures


class Command(BaseCommand):
    help = (
        "Write organisations.toml, topics.toml, sources.toml, sources/*.txt and stances.toml from the "
        "database, in the format build_fixtures reads. Then `build_fixtures --data-dir DIR`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Directory to write to (default: a new temporary directory). Use fixtures/ to refresh them.",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Export draft stances too (default: published only).",
        )
        parser.add_argument(
            "--strict", action="store_true", help="Fail if anything in the database cannot be written out."
        )

    def handle(self, *args, output: Path | None, include_drafts: bool, strict: bool, **options):
        output = output or Path(tempfile.mkdtemp(prefix="ruspolitikk-export-"))
        result = export_fixtures(output, include_drafts=include_drafts)
        for warning in result.warnings:
            self.stderr.write(f"Advarsel: {warning}")
        if strict and result.warnings:
            raise CommandError(f"{len(result.warnings)} warning(s) with --strict.")
        self.stdout.write(f"Wrote {len(result.files)} files to {output}")
