"""The database itself guarantees that a statement is an exact span of its source's text.

A CHECK constraint cannot look at another table, so triggers do it, on SQLite and PostgreSQL
alike: a statement whose offsets fall outside its source, or whose text is not exactly
``source.text[start:end]``, is refused; so is a change to a source's text that would leave any
of its statements misquoted. Both databases count characters (code points), as Python does.
"""

from django.db import migrations

SQLITE_STATEMENT_CONDITION = """
    NEW."end" > (SELECT length(text) FROM positions_source WHERE id = NEW.source_id)
    OR substr((SELECT text FROM positions_source WHERE id = NEW.source_id), NEW.start + 1, NEW."end" - NEW.start)
       IS NOT NEW.text
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER positions_statement_span_insert BEFORE INSERT ON positions_statement
    FOR EACH ROW WHEN {SQLITE_STATEMENT_CONDITION}
    BEGIN SELECT RAISE(ABORT, 'statement is not an exact span of its source text'); END;
    """,
    f"""
    CREATE TRIGGER positions_statement_span_update
    BEFORE UPDATE OF start, "end", text, source_id ON positions_statement
    FOR EACH ROW WHEN {SQLITE_STATEMENT_CONDITION}
    BEGIN SELECT RAISE(ABORT, 'statement is not an exact span of its source text'); END;
    """,
    """
    CREATE TRIGGER positions_source_text_keeps_statements BEFORE UPDATE OF text ON positions_source
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM positions_statement AS s WHERE s.source_id = NEW.id
        AND (s."end" > length(NEW.text) OR substr(NEW.text, s.start + 1, s."end" - s.start) IS NOT s.text)
    )
    BEGIN SELECT RAISE(ABORT, 'changing the source text would misquote its statements'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS positions_statement_span_insert;",
    "DROP TRIGGER IF EXISTS positions_statement_span_update;",
    "DROP TRIGGER IF EXISTS positions_source_text_keeps_statements;",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION positions_statement_span_check() RETURNS trigger AS $$
    DECLARE source_text text;
    BEGIN
        SELECT text INTO source_text FROM positions_source WHERE id = NEW.source_id;
        IF source_text IS NULL OR NEW."end" > length(source_text)
           OR substr(source_text, NEW.start + 1, NEW."end" - NEW.start) IS DISTINCT FROM NEW.text THEN
            RAISE EXCEPTION 'statement is not an exact span of its source text'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER positions_statement_span_trigger
    BEFORE INSERT OR UPDATE OF start, "end", text, source_id ON positions_statement
    FOR EACH ROW EXECUTE FUNCTION positions_statement_span_check();
    """,
    """
    CREATE FUNCTION positions_source_text_check() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM positions_statement AS s WHERE s.source_id = NEW.id
            AND (s."end" > length(NEW.text)
                 OR substr(NEW.text, s.start + 1, s."end" - s.start) IS DISTINCT FROM s.text)
        ) THEN
            RAISE EXCEPTION 'changing the source text would misquote its statements'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER positions_source_text_trigger BEFORE UPDATE OF text ON positions_source
    FOR EACH ROW EXECUTE FUNCTION positions_source_text_check();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS positions_statement_span_trigger ON positions_statement;",
    "DROP FUNCTION IF EXISTS positions_statement_span_check();",
    "DROP TRIGGER IF EXISTS positions_source_text_trigger ON positions_source;",
    "DROP FUNCTION IF EXISTS positions_source_text_check();",
]


def _run(schema_editor, statements_by_vendor):
    for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0004_timestamps_default_now"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
