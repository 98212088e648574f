"""SQLite's own full-text index over statements (FTS5), for ``positions.search`` on SQLite.

An *external-content* FTS5 table: it stores only the index, the text stays in
``positions_statement`` (``content=``, ``content_rowid='id'``), so the database does not hold
every statement twice, and ``snippet()``/``highlight()`` could read the text back. Triggers keep the
index in step with every insert, text change and delete, bulk_create and raw SQL included; the
migration indexes the rows already there (``'rebuild'``). Tokenizer ``unicode61
remove_diacritics 2``: case-folded, accents dropped (é = e, å = a); ø and æ are letters of their
own to it, so the query side widens them (``positions.search.spellings``).

A no-op on PostgreSQL, which has its own trigger-kept ``search_vector`` (0002).

Caution: when a later migration alters ``positions_statement`` on SQLite, Django rebuilds the
table and the triggers on it are dropped with the old table; such a migration must run
``SQLITE_FORWARD`` again (tests/positions/test_search.py checks the triggers exist).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE positions_statement_fts USING fts5(
        text, content='positions_statement', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    """,
    """
    CREATE TRIGGER positions_statement_fts_insert AFTER INSERT ON positions_statement BEGIN
        INSERT INTO positions_statement_fts(rowid, text) VALUES (NEW.id, NEW.text);
    END;
    """,
    """
    CREATE TRIGGER positions_statement_fts_delete AFTER DELETE ON positions_statement BEGIN
        INSERT INTO positions_statement_fts(positions_statement_fts, rowid, text)
        VALUES ('delete', OLD.id, OLD.text);
    END;
    """,
    """
    CREATE TRIGGER positions_statement_fts_update AFTER UPDATE OF text ON positions_statement BEGIN
        INSERT INTO positions_statement_fts(positions_statement_fts, rowid, text)
        VALUES ('delete', OLD.id, OLD.text);
        INSERT INTO positions_statement_fts(rowid, text) VALUES (NEW.id, NEW.text);
    END;
    """,
    "INSERT INTO positions_statement_fts(positions_statement_fts) VALUES ('rebuild');",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS positions_statement_fts_insert;",
    "DROP TRIGGER IF EXISTS positions_statement_fts_delete;",
    "DROP TRIGGER IF EXISTS positions_statement_fts_update;",
    "DROP TABLE IF EXISTS positions_statement_fts;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0007_revision"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
