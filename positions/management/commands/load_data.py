"""Load the built fixtures and create the editorial roles: what `make run` does to a new database."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from positions.services import create_editor_roles, stamp_loaded_publication
from ruspolitikk.db.statistics import refresh_statistics
from ruspolitikk.pagecache import data_changed

FIXTURES = ["parties.json", "positions.json"]


class Command(BaseCommand):
    help = (
        "Load fixtures/parties.json and fixtures/positions.json in one transaction, without writing "
        "history (simple-history would log every many-to-many set as a change), stamp the published "
        "rows with the time they were loaded, and create the Redaktør and Bidragsyter groups."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures-dir", type=Path, default=settings.BASE_DIR / "fixtures")

    def handle(self, *args, fixtures_dir: Path, **options):
        # The loaded rows are the baseline; the admin records a history baseline before an
        # editor's first change (positions.services.ensure_history_baseline).
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", *(str(fixtures_dir / name) for name in FIXTURES), verbosity=0)
            stamp_loaded_publication(at=timezone.now())
            roles = create_editor_roles()
            data_changed()  # loaddata's raw saves do not count as edits: one new version for all
        # Planner statistics for what was just loaded: until autovacuum analyses the tables,
        # PostgreSQL plans the grid as if they were empty (half again as slow a render).
        refresh_statistics("parties", "positions")
        if options["verbosity"]:
            self.stdout.write(
                f"Loaded {', '.join(FIXTURES)}; roles: "
                + ", ".join(f"{name} ({count} permissions)" for name, count in roles.items())
            )
