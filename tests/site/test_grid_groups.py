"""Topic groups as a header row over the grid's topic columns (colgroup + scope=colgroup)."""

import pytest

from positions.models import Topic, TopicGroup
from ruspolitikk.pagecache import data_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_without_groups_there_is_no_group_row(client):
    Topic.objects.update(group=None)
    TopicGroup.objects.all().delete()
    data_changed()
    html = client.get("/").content.decode()
    assert "colgroup" not in html and "group-row" not in html


def test_groups_head_their_columns_in_both_languages(client):
    html = client.get("/").content.decode()
    assert (
        '<colgroup></colgroup><colgroup span="5"></colgroup><colgroup span="5"></colgroup>'
        '<colgroup span="4"></colgroup>' in html
    )
    assert '<th scope="colgroup" colspan="5">Straff og politi</th>' in html
    assert '<th scope="colgroup" colspan="4">Forebygging og skadereduksjon</th>' in html

    TopicGroup.objects.filter(slug="skade").update(name_en="")
    data_changed()
    english = client.get("/en/").content.decode()
    assert '<th scope="colgroup" colspan="5">Punishment and policing</th>' in english
    # No English name: bokmål.
    assert '<th scope="colgroup" colspan="4">Forebygging og skadereduksjon</th>' in english


def test_a_topic_filter_narrows_the_group_row_too(client):
    group = TopicGroup.objects.create(slug="alle", name="Alle")
    Topic.objects.update(group=group)
    data_changed()
    html = client.get("/?tema=lar&tema=har").content.decode()
    assert '<th scope="colgroup" colspan="2">Alle</th>' in html
