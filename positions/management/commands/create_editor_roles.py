"""Create or refresh the editorial groups Redaktør and Bidragsyter (safe to run again)."""

from django.core.management.base import BaseCommand

from positions.services import create_editor_roles


class Command(BaseCommand):
    help = "Oppretter eller oppdaterer gruppene Redaktør og Bidragsyter med sine tilganger."

    def handle(self, *args, **options):
        for name, count in create_editor_roles().items():
            self.stdout.write(f"{name}: {count} tilganger")
