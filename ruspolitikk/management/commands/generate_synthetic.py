"""``manage.py generate_synthetic``: the national-size synthetic data set (ruspolitikk.synthetic)."""

from django.core.management.base import BaseCommand, CommandError

from ruspolitikk.synthetic.generate import EditorialDataPresent, generate


class Command(BaseCommand):
    help = (
        "Replace the parties and positions data with a deterministic synthetic data set of the real "
        "shape (defaults: the national size). Refuses a database holding editorial data unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--organisations", type=int, default=3000)
        parser.add_argument("--topics", type=int, default=30)
        parser.add_argument("--statements", type=int, default=500_000)
        parser.add_argument(
            "--replace", "--force", action="store_true", help="replace even data an editor made (it is lost)"
        )

    def handle(self, *args, seed, organisations, topics, statements, replace, **options):
        try:
            result = generate(
                seed=seed, organisations=organisations, topics=topics, statements=statements, replace=replace
            )
        except EditorialDataPresent as error:
            raise CommandError(
                "The database holds editorial data, which this would delete: "
                + "; ".join(error.reasons)
                + ". Use another database, or --replace to delete it anyway."
            ) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        if result.replaced:
            self.stdout.write(
                "Replaced: " + ", ".join(f"{n} {table}" for table, n in result.replaced.items())
            )
        counts = result.counts
        languages = ", ".join(f"{n} {language}" for language, n in sorted(result.languages.items()))
        self.stdout.write(
            f"Made {counts['party']} parties, {counts['organisation']} organisations "
            f"({', '.join(f'{n} {level}' for level, n in result.levels.items())}), {counts['topic']} topics, "
            f"{counts['source']} sources ({languages}), "
            f"{counts['statement']} statements ({counts['statement_topics']} topic tags), "
            f"{counts['stance']} stances ({', '.join(f'{n} {v}' for v, n in result.values.items())}; "
            f"{counts['stance_evidence']} quotes) in {result.seconds:.1f} s (seed {seed})."
        )
