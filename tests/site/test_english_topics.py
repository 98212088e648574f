"""English topic texts and summaries on /en/ pages, bokmål where English is missing; quotes as written."""

import pytest

from positions.models import Stance, Topic
from ruspolitikk.pagecache import data_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


@pytest.fixture
def english():
    topic = Topic.objects.get(slug="lar")
    topic.name_en = "Opioid agonist treatment (OAT)"
    topic.short_name_en = "OAT"
    topic.question_en = "Should OAT be strengthened or widened?"
    topic.explainer_en = "OAT gives people dependent on opioids a medicine such as methadone."
    topic.save()
    stance = Stance.objects.get(organisation__slug="r", topic__slug="lar")
    stance.summary_en = "Wants more medicines to be allowed in OAT."
    stance.save()
    data_changed()
    return stance


def test_the_english_grid_uses_english_topic_names_and_questions(client, english):
    html = client.get("/en/").content.decode()
    assert 'title="Should OAT be strengthened or widened?">OAT</a></th>' in html
    assert 'title="Should heroin-assisted treatment be offered?">HAR</a></th>' in html


def test_the_bokmal_grid_is_unchanged(client, english):
    html = client.get("/").content.decode()
    assert 'title="Bør LAR styrkes eller utvides?">LAR</a></th>' in html
    assert "OAT" not in html


def test_the_english_topic_page(client, english):
    html = client.get("/en/tema/lar/").content.decode()
    assert "<h1>Opioid agonist treatment (OAT)</h1>" in html
    assert "OAT gives people dependent on opioids a medicine such as methadone." in html
    assert "Wants more medicines to be allowed in OAT." in html
    assert 'href="/en/metode/#kodebok-lar"' in html


def test_the_english_cell_and_organisation_page_show_the_english_summary_and_the_quote_as_written(
    client, english
):
    for url in ("/en/parti/r/tema/lar/", "/en/parti/r/"):
        html = client.get(url).content.decode()
        assert "Wants more medicines to be allowed in OAT." in html, url
        assert "Medikamentutvalget i LAR må utvides." in html, url  # the quote stays in bokmål
        assert 'lang="nb"' in html, url


def test_a_summary_without_english_falls_back_to_bokmal(client, english):
    Stance.objects.filter(organisation__slug="r", topic__slug="har").update(summary_en="")
    data_changed()
    html = client.get("/en/parti/r/tema/har/").content.decode()
    assert "Mener heroinassistert behandling bør være et alternativ" in html


def test_the_json_export_carries_both_languages_and_the_csv_stays_bokmal(client, english):
    import json

    rows = json.loads(client.get("/en/eksport.json?tema=lar").getvalue())["rows"]
    rodt = next(row for row in rows if row["organisation"] == "r")
    assert rodt["summary"] == "Vil utvide hvilke legemidler som kan brukes i LAR."
    assert rodt["summary_en"] == "Wants more medicines to be allowed in OAT."
    assert rodt["topic_name_en"] == "Opioid agonist treatment (OAT)"
    csv = client.get("/en/eksport.csv?tema=lar").getvalue().decode("utf-8-sig")
    assert "Vil utvide hvilke legemidler" in csv and "OAT." not in csv and "summary_en" not in csv
