"""An organisation page stays bounded whatever the data (issue 8): at most a few quotes a topic,
the newest sources and the first branches, each cap said on the page with the number left out and a
link to the whole list, which is paged. Plain links: the same with and without JavaScript."""

import re

import pytest

from parties.models import Organisation
from positions import views
from positions.models import Source
from ruspolitikk.synthetic.generate import generate

HTMX = {"HX-Request": "true"}


def quotes_under(html: str, topic: str) -> str:
    return html.split(f'<li class="stance-item" id="{topic}">')[1].split("</li>")[0]


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
class TestSeed:
    def test_a_topic_with_more_quotes_than_the_cap_shows_the_cap_and_links_to_all_of_them(self, client):
        """KrF on behandling has six quotes in the real data: three on the page, all six one click away."""
        assert views.ORGANISATION_QUOTES_PER_CELL == 3
        item = quotes_under(client.get("/parti/krf/").content.decode(), "behandling")
        assert item.count("<blockquote") == 3
        assert re.search(r'<a href="/parti/krf/tema/behandling/">\s*Vis alle 6 sitater \(3 vises her\)', item)
        assert client.get("/parti/krf/tema/behandling/").content.decode().count("<blockquote") == 6

    def test_a_topic_within_the_cap_shows_every_quote_and_no_link(self, client):
        item = quotes_under(client.get("/parti/ap/").content.decode(), "behandling")
        assert 0 < item.count("<blockquote") <= 3
        assert "Vis alle" not in item

    def test_the_english_page_says_so_in_english(self, client):
        item = quotes_under(client.get("/en/parti/krf/").content.decode(), "behandling")
        link = r'<a href="/en/parti/krf/tema/behandling/">\s*Show all 6 quotes \(3 shown here\)'
        assert re.search(link, item)

    def test_within_every_cap_nothing_is_said_left_out(self, client):
        html = client.get("/parti/v/").content.decode()
        assert "/parti/v/kilder/" not in html and "/parti/v/lag/" not in html

    def test_the_lists_answer_for_a_real_party(self, client):
        sources = client.get("/parti/frp/kilder/").content.decode()
        for source in Source.objects.filter(organisation__slug="frp"):
            assert f'href="/kilde/{source.slug}/"' in sources
        branches = client.get("/parti/v/lag/").content.decode()
        assert 'href="/parti/innlandet-venstre/"' in branches and 'href="/parti/horten-venstre/"' in branches
        assert "Viser 1–2 av 2" in branches
        assert "har ingen lag registrert her" in client.get("/parti/horten-venstre/lag/").content.decode()

    @pytest.mark.parametrize("path", ["/parti/nope/kilder/", "/parti/nope/lag/", "/parti/nope/lag/?side=x"])
    def test_an_unknown_organisation_is_a_404(self, client, path):
        assert client.get(path).status_code == 404

    @pytest.mark.parametrize("path", ["/parti/v/kilder/?side=x", "/parti/v/lag/?side=0"])
    def test_a_malformed_page_is_a_400_in_norwegian(self, client, path):
        response = client.get(path)
        assert response.status_code == 400
        assert "Sidetallet" in response.content.decode()

    def test_a_page_past_the_last_is_a_404_saying_so(self, client):
        response = client.get("/parti/v/lag/?side=2")
        assert response.status_code == 404
        assert "Listen har bare 1 sider, så side 2 finnes ikke." in response.content.decode()


@pytest.fixture
def party_with_many(db, monkeypatch):
    """A synthetic party with more sources and branches than the (lowered) caps."""
    generate(seed=1, organisations=120, topics=4, statements=1500)
    monkeypatch.setattr(views, "ORGANISATION_SOURCES", 2)
    monkeypatch.setattr(views, "ORGANISATION_BRANCHES", 5)
    monkeypatch.setattr(views, "SOURCES_PER_PAGE", 2)
    monkeypatch.setattr(views, "BRANCHES_PER_PAGE", 4)
    party = Organisation.objects.get(slug="ap")
    branches = list(Organisation.objects.filter(party=party.party).exclude(pk=party.pk))
    sources = list(views.organisation_sources(party)[0])
    assert len(branches) > 5 and len(sources) > 2
    return party, branches, sources


def test_the_newest_sources_are_shown_and_the_rest_counted_and_linked(client, party_with_many):
    party, _branches, sources = party_with_many
    html = client.get("/parti/ap/").content.decode()
    listed = html.split('<ul class="source-list">')[1].split("</ul>")[0]
    assert re.findall(r'href="/kilde/([a-z0-9-]+)/"', listed) == [s.slug for s in sources[:2]]
    dates = [s.date_start for s in sources]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert f"Viser de 2 nyeste av {len(sources)} kilder." in html
    assert re.search(rf'<a href="/parti/ap/kilder/">\s*Se alle kildene \({len(sources) - 2} eldre\)', html)


def test_the_source_list_pages_through_every_source(client, party_with_many):
    _party, _branches, sources = party_with_many
    seen, page = [], 1
    while True:
        response = client.get(f"/parti/ap/kilder/?side={page}")
        if response.status_code == 404:
            break
        html = response.content.decode()
        seen += re.findall(r'<li><a href="/kilde/([a-z0-9-]+)/"', html)
        page += 1
    assert seen == [s.slug for s in sources]
    assert page - 1 == -(-len(sources) // 2)


def test_the_first_branches_are_shown_and_the_rest_counted_and_linked(client, party_with_many):
    _party, branches, _sources = party_with_many
    html = client.get("/parti/ap/").content.decode()
    relatives = html.split('<nav class="relatives"')[1].split("</nav>")[0]
    assert re.findall(r'href="/parti/([a-z0-9-]+)/"', relatives) == [b.slug for b in branches[:5]]
    left_out = len(branches) - 5
    link = rf'<a href="/parti/ap/lag/" class="more-link">\s*og {left_out} til: se alle {len(branches)} lag'
    assert re.search(link, relatives)


def test_the_branch_list_pages_with_plain_links_and_swaps_with_htmx(client, party_with_many):
    _party, branches, _sources = party_with_many
    html = client.get("/parti/ap/lag/").content.decode()
    assert f"Viser 1–4 av {len(branches)}" in html
    assert re.findall(r'<li><a href="/parti/([a-z0-9-]+)/"', html) == [b.slug for b in branches[:4]]
    # The next page: a real link, and the same address for htmx, which swaps the list in place.
    assert 'href="/parti/ap/lag/?side=2#list-page" rel="next" data-hx-get="/parti/ap/lag/?side=2"' in html
    fragment = client.get("/parti/ap/lag/?side=2", headers=HTMX)
    body = fragment.content.decode()
    assert "<html" not in body and f"Viser 5–8 av {len(branches)}" in body
    assert re.findall(r'<li><a href="/parti/([a-z0-9-]+)/"', body) == [b.slug for b in branches[4:8]]
    assert "HX-Request" in fragment["Vary"]


def test_a_branch_page_names_its_parent_and_lists_no_branches(client, party_with_many):
    _party, branches, _sources = party_with_many
    html = client.get(f"/parti/{branches[-1].slug}/").content.decode()
    assert 'Moderparti: <a href="/parti/ap/">' in html
    assert "/lag/" not in html
