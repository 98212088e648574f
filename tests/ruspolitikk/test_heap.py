"""ruspolitikk/heap.py: a server process loads what requests share, then keeps it out of the
garbage collector's full collections (gunicorn's pre_fork, and the scale benchmark's workers)."""

import gc
import runpy

import pytest
from django.conf import settings
from django.template import engines
from django.urls import clear_url_caches, get_resolver

from ruspolitikk.heap import load_and_freeze


@pytest.fixture
def unfrozen():
    """The test process is not left with a frozen heap."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_loading_and_freezing_leaves_the_collector_only_what_is_made_later(unfrozen):
    tracked_before = len(gc.get_objects())

    frozen = load_and_freeze()

    assert frozen == gc.get_freeze_count()
    # What the process held is frozen, not tracked: a full collection walks only what is new.
    assert frozen >= tracked_before // 2
    assert len(gc.get_objects()) < tracked_before // 10
    made_later = [object()]
    assert gc.is_tracked(made_later)
    assert any(item is made_later for item in gc.get_objects())


def test_what_requests_share_is_loaded_before_the_freeze(unfrozen):
    loader = engines["django"].engine.template_loaders[0]  # the cached loader
    clear_url_caches()
    loader.reset()
    languages = {code for code, _name in settings.LANGUAGES}
    templates = {"positions/home.html", "valgomat/result.html", "base.html"}
    assert not set(get_resolver()._reverse_dict) & languages
    assert not templates & set(loader.get_template_cache)

    load_and_freeze()

    # Every language's URL patterns: i18n_patterns keeps them per language.
    assert set(get_resolver()._reverse_dict) >= languages
    # The site's templates are compiled once, in the loading process, not on each worker's first request.
    assert templates <= set(loader.get_template_cache)


def test_gunicorn_loads_and_freezes_before_it_forks_each_worker(unfrozen):
    config = runpy.run_path(str(settings.BASE_DIR / "ruspolitikk" / "gunicorn.conf.py"))

    config["pre_fork"](server=None, worker=None)

    assert gc.get_freeze_count() > 0
