"""Norwegian full-text search on PostgreSQL: a tsvector column kept current by a trigger, GIN-indexed.

On SQLite the column exists (so the schema is the same) but stays empty; search falls back
to a portable matcher there (see positions.search).
"""

import django.contrib.postgres.search
from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION positions_statement_search_vector_update() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector('pg_catalog.norwegian', coalesce(NEW.text, ''));
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER positions_statement_search_vector_trigger
    BEFORE INSERT OR UPDATE OF text ON positions_statement
    FOR EACH ROW EXECUTE FUNCTION positions_statement_search_vector_update();
    """,
    "UPDATE positions_statement SET search_vector = to_tsvector('pg_catalog.norwegian', text);",
    "CREATE INDEX positions_statement_search_gin ON positions_statement USING GIN (search_vector);",
]

POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS positions_statement_search_gin;",
    "DROP TRIGGER IF EXISTS positions_statement_search_vector_trigger ON positions_statement;",
    "DROP FUNCTION IF EXISTS positions_statement_search_vector_update();",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
