"""Fresh planner statistics after a bulk load.

A load in one go (the fixtures, the synthetic set) leaves the planner with old statistics or none
until autovacuum gets round to the tables, and a plan made without them can cost many times what
it should: on a freshly loaded PostgreSQL the seed's grid took 21 ms rather than 14 ms a render
until ANALYZE. So whatever loads in bulk analyses what it loaded, at once.
"""

from django.apps import apps
from django.db import connection


def refresh_statistics(*app_labels: str) -> None:
    """ANALYZE the tables of the apps ``app_labels``, many-to-many tables included (PostgreSQL);
    SQLite's ANALYZE takes the whole database."""
    models = [m for app in app_labels for m in apps.get_app_config(app).get_models(include_auto_created=True)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute("ANALYZE")
