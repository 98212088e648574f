"""Write the database back out as the build's input files (fixtures/*.toml, fixtures/sources/)."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from positions.errors import SourceError
from positions.pipeline import build
from positions.pipeline.roundtrip import build_snapshot, database_snapshot, differences
from positions.pipeline.writeback import export_fixtures


class Command(BaseCommand):
    help = (
        "Write organisations.toml, topics.toml, sources.toml, sources/*.txt and stances.toml from the "
        "database, in the format build_fixtures reads, draft statements and stances included "
        '(status = "draft"); then build them and check that the build gives the database back. '
        "Afterwards: `build_fixtures --data-dir DIR`."
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
            help='No effect, kept for old scripts: drafts are always written, with status = "draft".',
        )
        parser.add_argument(
            "--strict", action="store_true", help="Fail if anything in the database cannot be written out."
        )

    def handle(self, *args, output: Path | None, strict: bool, **options):
        output = output or Path(tempfile.mkdtemp(prefix="ruspolitikk-export-"))
        result = export_fixtures(output)
        for warning in result.warnings:
            self.stderr.write(f"Advarsel: {warning}")
        try:
            built = build(output)
        except SourceError as error:
            raise CommandError(f"The build refuses the exported files: {error}") from None
        lost = differences(build_snapshot(built), database_snapshot())
        for line in lost:
            self.stderr.write(f"Avvik etter bygging: {line}")
        if strict and (result.warnings or lost):
            raise CommandError(f"{len(result.warnings) + len(lost)} warning(s) with --strict.")
        outcome = f"{len(lost)} difference(s) after building" if lost else "the build gives back the database"
        self.stdout.write(f"Wrote {len(result.files)} files to {output}; {outcome}")
