"""/metode/: the codebook, rules and agreement figures (or that they are not ready), in both languages."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.positions.test_agreement import FIRST, SECOND, write_codings
from tests.positions.test_codebook_build import CODEBOOK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

DATA = Path(settings.BASE_DIR) / "fixtures"
RULE = '''
[[rule]]
slug = "attribusjon"
title = "Avsnitt uten navn"
text = """Et avsnitt som ikke nevner partiet, teller ikke alene.

Det vises med et varsel."""
title_en = "Unnamed passages"
text_en = """A passage that does not name the party never counts alone."""
'''


@pytest.fixture
def codebook_dir(tmp_path, settings) -> Path:
    text = (DATA / "topics.toml").read_text(encoding="utf-8")
    first = text.index("[[topic]]")
    second = text.index("[[topic]]", first + 1)
    text = text[:first] + RULE + "\n" + text[first:second] + CODEBOOK + "\n" + text[second:]
    (tmp_path / "topics.toml").write_text(text, encoding="utf-8")
    settings.CODEBOOK_DIR = tmp_path
    return tmp_path


def test_the_codebook_of_a_topic_is_published_with_an_anchor_linked_to_its_cell(client, codebook_dir):
    html = client.get("/metode/").content.decode()
    assert 'id="kodebok-avkriminalisering"' in html
    assert "Teksten vil ha hjelp i stedet for straff." in html
    assert "Et forsøk teller som delvis." in html
    assert (
        '<blockquote lang="nb"><p>Vi mener rusavhengige trenger omsorg og behandling, ikke straff.</p>'
        in html
    )
    assert 'href="/parti/r/tema/avkriminalisering/">Se ruten for Rødt</a>' in html
    assert 'id="regel-attribusjon"' in html and "<p>Det vises med et varsel.</p>" in html
    assert 'id="kodebok-lar"' in html and "Kodeboken for dette temaet er ikke publisert ennå." in html


def test_inclusion_criteria_limits_and_how_to_report_an_error(client, codebook_dir):
    html = client.get("/metode/").content.decode()
    assert "intervjuer i mediene" in html
    assert "to kodere som arbeider hver for seg" in html
    assert "«Ikke uttalt» betyr at tekstene vi har fra organisasjonen ikke sier noe om temaet" in html
    assert 'href="/om/#hvem"' in html


def test_without_codings_the_page_says_the_figures_are_not_ready(client, codebook_dir):
    html = client.get("/metode/").content.decode()
    assert "Tallene for enighet er ikke klare ennå" in html
    assert '<table class="agreement">' not in html


def test_the_agreement_figures_per_topic_and_overall(client, codebook_dir):
    write_codings(codebook_dir / "coding", FIRST, SECOND, {("sv", "lar"): "SV vil ha LAR"})
    html = client.get("/metode/").content.decode()
    assert '<table class="agreement">' in html
    assert "6 ruter, 1 uenigheter, 1 av dem avgjort med skriftlig begrunnelse" in html
    assert '<th scope="row">LAR</th>' not in html  # the full name, not the short one
    assert (
        '<th scope="row">Legemiddelassistert rehabilitering (LAR)</th><td>4</td><td>3</td><td>75 %</td>'
        in html
    )
    assert "<td>0,50</td>" in html or "<td>0.50</td>" in html
    assert "ikke definert" in html  # har: both said "none"


def test_the_english_page(client, codebook_dir):
    write_codings(codebook_dir / "coding", FIRST, SECOND, {})
    html = client.get("/en/metode/").content.decode()
    assert "The text wants help instead of punishment." in html  # for_en
    assert "Teksten vil beholde straffen." in html  # no against_en: falls back to bokmål
    assert "Unnamed passages" in html and "never counts alone" in html
    assert "How we code the positions" in html
    assert "Agreement between two blind codings" in html
    assert "not defined" in html
    assert 'href="/en/parti/r/tema/avkriminalisering/"' in html


def test_each_topic_page_links_to_its_codebook(client):
    html = client.get("/tema/lar/").content.decode()
    assert 'href="/metode/#kodebok-lar"' in html
