from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from positions.agreement import compute
from positions.errors import SourceError


def _kappa(row) -> str:
    return "not defined" if row.kappa is None else f"{row.kappa_value:.2f}"


class Command(BaseCommand):
    help = (
        "Cohen's kappa and raw agreement between the two blind codings in fixtures/coding/ "
        "(first.toml, second.toml), per topic and overall, with the disagreements reconciled."
    )

    def add_arguments(self, parser):
        parser.add_argument("--coding-dir", type=Path, help="Default: fixtures/coding/.")

    def handle(self, *args, coding_dir: Path | None, **options):
        try:
            report = compute(coding_dir)
        except SourceError as error:
            raise CommandError(str(error)) from None
        if report is None:
            raise CommandError("No codings yet: fixtures/coding/first.toml and second.toml are both needed.")
        self.stdout.write(f"{'topic':<24} {'cells':>5} {'agreed':>6} {'raw %':>6} {'kappa':>11}")
        for row in [*report.topics, report.overall]:
            label = row.label or "overall"
            self.stdout.write(
                f"{label:<24} {row.cells:>5} {row.agreed:>6} {row.raw_percent:>6.1f} {_kappa(row):>11}"
            )
        self.stdout.write(
            f"{report.disagreements} disagreement(s), {report.reconciled} reconciled in writing."
        )
        for organisation, topic in report.unreconciled:
            self.stderr.write(f"Not reconciled: {organisation} × {topic}")
