"""The home page lists every organisation with how many of its cells state a position."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_each_row_says_how_many_topics_the_organisation_takes_a_position_on(client):
    page = client.get("/?niva=national&niva=county&niva=municipal&niva=youth").content.decode()
    # Counted from the curated stances: Rødt states 7 of 14, Innlandet Venstre 8 of 14, Senterpartiet 1 of 14.
    assert "7 av 14 uttalt" in page
    assert "8 av 14 uttalt" in page
    assert "1 av 14 uttalt" in page


def test_the_count_follows_the_chosen_topics(client):
    page = client.get("/?tema=har&tema=tvang&parti=frp").content.decode()
    assert "2 av 2 uttalt" in page
