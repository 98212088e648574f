"""The home page lists every organisation with how many of its cells state a position."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_each_row_says_how_many_topics_the_organisation_takes_a_position_on(client):
    page = client.get("/?niva=national&niva=county&niva=municipal&niva=youth").content.decode()
    # Counted from the curated stances: Rødt states 6 of 9, Innlandet Venstre 8 of 9, KrF 1 of 9.
    assert "6 av 9 uttalt" in page
    assert "8 av 9 uttalt" in page
    assert "1 av 9 uttalt" in page


def test_the_count_follows_the_chosen_topics(client):
    page = client.get("/?tema=har&tema=tvang&parti=frp").content.decode()
    assert "2 av 2 uttalt" in page
