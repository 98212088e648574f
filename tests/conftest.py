"""Database plumbing shared by the whole suite.

The suite runs unchanged on SQLite (default) and on PostgreSQL (``DATABASE_URL=postgres://…``,
as ``make test`` does through ``.ci/with-postgres``). Settings come from ``tests/environment.py``.

Fixtures:

``real_data``
    The committed fixtures (``fixtures/parties.json``, ``fixtures/positions.json``) loaded once
    per test module inside a transaction that is rolled back after the module, like Django's
    ``setUpTestData``. Use it together with ``db`` in read-only tests that want realistic data::

        pytestmark = pytest.mark.usefixtures("real_data")

        def test_grid_lists_every_party(client): ...

    Each test still runs in its own savepoint, so writes in one test do not leak into the next.
    Do not combine it with ``transactional_db`` or ``live_server`` in the same module (they
    commit and flush); browser tests load the data per test (see tests/browser/conftest.py).

``load_real_data()``
    The plain function behind it: loads the fixture files into the current database, the same
    rows as ``manage.py loaddata`` but in bulk (and without the simple-history records that
    loaddata writes for every M2M set).

The page cache (``ruspolitikk.pagecache``) is emptied before every test, since each test has its
own data; writes inside a test bump the data version as in production.

``on_postgresql`` / ``on_sqlite``
    Booleans for tests whose expectation differs by database (e.g. full-text search ranking).
    The ``postgres`` marker skips a test unless the suite runs on PostgreSQL.
"""

import copy
import functools
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

# The browser harness (fixtures page, site, axe_check, vnu_check…), for tests in any folder.
pytest_plugins = ["tests.browser.harness"]

FIXTURE_FILES = [
    Path(settings.BASE_DIR) / "fixtures" / "parties.json",
    Path(settings.BASE_DIR) / "fixtures" / "positions.json",
]


@functools.cache
def _fixture_objects() -> tuple:
    """The fixture files deserialized once per test run (parsing is half of loaddata's time)."""
    missing = [str(path) for path in FIXTURE_FILES if not path.exists()]
    if missing:
        pytest.fail(f"Fixture files missing (run `manage.py build_fixtures`): {', '.join(missing)}")
    objects = []
    for path in FIXTURE_FILES:
        with path.open(encoding="utf-8") as stream:
            objects.extend(serializers.deserialize("json", stream))
    return tuple(objects)


def load_real_data() -> None:
    """Load the committed fixture files into the current database.

    The same rows as ``manage.py loaddata`` writes (a raw load: no save() logic, no signals),
    inserted with one bulk INSERT per model and M2M table, which makes a browser test's set-up
    about ten times cheaper. Like loaddata, it resets PostgreSQL's sequences afterwards.
    """
    by_model: dict[type, list] = {}
    for deserialized in _fixture_objects():
        by_model.setdefault(type(deserialized.object), []).append(deserialized)
    with transaction.atomic():
        for model, objects in by_model.items():
            model._base_manager.bulk_create([copy.copy(item.object) for item in objects])
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                source = f"{field.m2m_field_name()}_id"
                target = f"{field.m2m_reverse_field_name()}_id"
                through._base_manager.bulk_create(
                    through(**{source: item.object.pk, target: pk})
                    for item in objects
                    for pk in item.m2m_data.get(field.name, ())
                )
        reset_sql = connection.ops.sequence_reset_sql(no_style(), list(by_model))
        if reset_sql:
            with connection.cursor() as cursor:
                for statement in reset_sql:
                    cursor.execute(statement)


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker):
    """The real fixtures for every test in a module, rolled back when the module ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_real_data()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request for an /en/ page leaves English active in
    the test's thread, and a later test's date label ("ca. 2011") came out English ("c. 2011")."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page and no data version (the data differs per test)."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def on_postgresql(db) -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def on_sqlite(db) -> bool:
    return connection.vendor == "sqlite"


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``postgres`` when the suite runs on another database."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (make test runs a PostgreSQL leg)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)
