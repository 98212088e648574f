"""/metode/: the codebook, rules and agreement figures (or that they are not ready), in both languages."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.positions.test_agreement import FIRST, SECOND, write_codings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

DATA = Path(settings.BASE_DIR) / "fixtures"
AGAINST_EN = (
    'against_en = "The text wants use and possession to remain punishable for everyone, or opposes '
    'decriminalisation without an exception for dependent users."\n'
)


@pytest.fixture
def codebook_dir(tmp_path, settings) -> Path:
    """The real codebook without the codings (and without one English text, to show the fallback)."""
    text = (DATA / "topics.toml").read_text(encoding="utf-8")
    assert AGAINST_EN in text
    (tmp_path / "topics.toml").write_text(text.replace(AGAINST_EN, ""), encoding="utf-8")
    settings.CODEBOOK_DIR = tmp_path
    return tmp_path


def test_the_codebook_of_a_topic_is_published_with_an_anchor_linked_to_its_cell(client, codebook_dir):
    html = client.get("/metode/").content.decode()
    assert 'id="kodebok-avkriminalisering"' in html
    assert "Teksten vil at bruk og besittelse til eget bruk ikke lenger skal straffes" in html
    assert "Å beholde forbudet mens straffen fjernes er fortsatt «for»" in html
    assert (
        '<blockquote lang="nb"><p>Vi går inn for å avkriminalisering av all rusbruk, noe som vil spare både'
        in html
    )
    assert 'href="/parti/mdg/tema/avkriminalisering/">Se ruten for Miljøpartiet De Grønne</a>' in html
    assert 'id="regel-attribusjon"' in html
    assert "<p>Usikre avsnitt vises med merknad, men er aldri belegg for et standpunkt." in html
    assert (
        'id="kodebok-overdose"' in html and "Kodeboken for dette temaet er ikke publisert ennå." not in html
    )


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
    assert "The text wants use and possession for personal use to stop being punished" in html  # for_en
    assert (
        "Teksten vil at bruk og besittelse fortsatt skal være straffbart for alle" in html
    )  # bokmål fallback
    assert "Who said it: passages with no party name" in html and "are never evidence for a position" in html
    assert "How we code the positions" in html
    assert "Agreement between two blind codings" in html
    assert "not defined" in html
    assert 'href="/en/parti/mdg/tema/avkriminalisering/"' in html


def test_each_topic_page_links_to_its_codebook(client):
    html = client.get("/tema/lar/").content.decode()
    assert 'href="/metode/#kodebok-lar"' in html


def test_the_real_codings_are_published_with_how_to_read_them(client):
    html = client.get("/metode/").content.decode()
    assert "168 ruter, 0 uenigheter, 0 av dem avgjort med skriftlig begrunnelse" in html
    overall = html.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "<td>168</td><td>168</td><td>100 %</td>" in overall
    assert "<td>1,00</td>" in overall or "<td>1.00</td>" in overall
    assert "Full enighet viser at reglene ikke lar noe stå åpent for disse tekstene" in html
