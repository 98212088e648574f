"""Topic groups as a header row over the grid's topic columns (colgroup + scope=colgroup)."""

import pytest

from positions.models import Topic, TopicGroup
from ruspolitikk.pagecache import data_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_without_groups_there_is_no_group_row(client):
    html = client.get("/").content.decode()
    assert "colgroup" not in html and "group-row" not in html


def test_groups_head_their_columns_in_both_languages(client):
    care = TopicGroup.objects.create(slug="hjelp", name="Hjelp og behandling", name_en="Help and treatment")
    control = TopicGroup.objects.create(slug="straff", name="Straff og kontroll", order=1)
    Topic.objects.update(group=care)
    Topic.objects.filter(slug__in=["regulert-salg", "tvang"]).update(group=control)
    data_changed()

    html = client.get("/").content.decode()
    assert '<colgroup></colgroup><colgroup span="7"></colgroup><colgroup span="2"></colgroup>' in html
    assert '<th scope="colgroup" colspan="7">Hjelp og behandling</th>' in html
    assert '<th scope="colgroup" colspan="2">Straff og kontroll</th>' in html

    english = client.get("/en/").content.decode()
    assert '<th scope="colgroup" colspan="7">Help and treatment</th>' in english
    assert '<th scope="colgroup" colspan="2">Straff og kontroll</th>' in english  # no English: bokmål


def test_a_topic_filter_narrows_the_group_row_too(client):
    group = TopicGroup.objects.create(slug="alle", name="Alle")
    Topic.objects.update(group=group)
    data_changed()
    html = client.get("/?tema=lar&tema=har").content.decode()
    assert '<th scope="colgroup" colspan="2">Alle</th>' in html
