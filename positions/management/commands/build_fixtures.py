from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from positions.errors import SourceError
from positions.pipeline import OUTPUT_FILES, build, render_fixtures, write_fixtures


class Command(BaseCommand):
    help = (
        "Parse the source texts in fixtures/ into statements, join the curated stances, check every "
        "quote, and write fixtures/parties.json and fixtures/positions.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=settings.BASE_DIR / "fixtures")
        parser.add_argument("--output-dir", type=Path, help="Where to write the JSON (default: --data-dir).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the fixture files are not what the inputs build.",
        )

    def handle(self, *args, data_dir: Path, output_dir: Path | None, check: bool, **options):
        output_dir = output_dir or data_dir
        try:
            result = build(data_dir)
        except SourceError as error:
            raise CommandError(f"Build failed, nothing written.\n{error}") from None
        if options["verbosity"]:
            for warning in result.warnings:
                self.stderr.write(f"Warning: {warning}")
        rendered = render_fixtures(result)
        summary = (
            f"{len(result.organisations)} organisations, {len(result.topics)} topics, "
            f"{len(result.sources)} sources, {len(result.statements)} statements, "
            f"{len(result.stances)} stances "
            f"({sum(s.value != 'none' for s in result.stances)} stated, "
            f"{sum(s.confidence_flagged for s in result.statements)} statements of uncertain attribution)"
        )
        if check:
            stale = [
                name
                for name in OUTPUT_FILES
                if not (output_dir / name).exists()
                or (output_dir / name).read_text(encoding="utf-8") != rendered[name]
            ]
            if stale:
                raise CommandError(
                    f"Out of date: {', '.join(stale)}. Run `python manage.py build_fixtures` and commit."
                )
            self.stdout.write(f"Fixtures are up to date: {summary}.")
            return
        for path in write_fixtures(rendered, output_dir):
            if options["verbosity"] > 1:
                self.stdout.write(f"Wrote {path}")
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Built {summary}."))
