"""The valgomat's result page in the benchmark's in-process render figures."""

import pytest
from django.test import override_settings

from ruspolitikk.bench.render import median_render_ms, valgomat_render_ms, valgomat_result_path
from tests.factories import make_topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_the_timed_result_answers_every_topic_in_the_database(client):
    make_topic(slug="rusmiddelpolitikk-ny")
    path = valgomat_result_path(all_levels=True)
    assert "svar=bolig%3A" in path and "niva=youth" in path
    response = client.get(path)
    assert response.status_code == 200
    assert "% enig" in response.content.decode()


@override_settings(PAGE_CACHE=False)
def test_the_result_renders_no_slower_than_the_grid_at_seed_size(client):
    """Absolute times depend on the machine (``make bench`` reports them in production settings);
    relative to the grid's cache-miss render, measured here alongside, a regression shows at once:
    a full result (every question for every party) costs about what the grid does."""
    times = valgomat_render_ms(client, renders=5)
    assert set(times) == {"valgomat result", "valgomat result, all levels"}
    grid = median_render_ms(client, "/", {}, renders=5)
    assert 0 < times["valgomat result"] < 2 * grid
