"""The valgomat through HTTP on the real fixtures: questions, result, JSON, errors, caching."""

import json
import re

import pytest

from positions.models import Stance, Topic
from ruspolitikk.pagecache import data_changed
from tests.factories import make_topic
from tests.site.htmlcheck import check_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

SANITY = {"svar": ["avkriminalisering:helt-enig", "har:helt-enig", "sproyterom:helt-enig"]}


def ranking(client, query, path="/valgomat/resultat.json") -> list[dict]:
    response = client.get(path, query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_sanity_rule_rodt_ranks_above_frp(client):
    """A voter who fully agrees with decriminalisation, heroin-assisted treatment and injection
    rooms ranks Rødt above Fremskrittspartiet, with either measure: with only those three answers
    (FrP states one of them, so it gets no score) and with every other question answered neutral."""
    others = [
        f"{t.slug}:noytral"
        for t in Topic.objects.exclude(slug__in=["avkriminalisering", "har", "sproyterom"])
    ]
    for metric in ("manhattan", "euklidsk"):
        for svar in (SANITY["svar"], SANITY["svar"] + others):
            results = ranking(client, {"svar": svar, "avstand": metric})
            position = {r["organisation"]: i for i, r in enumerate(results)}
            assert position["r"] < position["frp"]
            rodt = next(r for r in results if r["organisation"] == "r")
            frp = next(r for r in results if r["organisation"] == "frp")
            assert rodt["rank"] is not None
            assert frp["rank"] is None or (frp["rank"] > rodt["rank"] and frp["score"] < rodt["score"])
        assert frp["rank"] is not None  # the fuller voter compares FrP too


def test_the_questionnaire_asks_every_topic_in_order_without_javascript(client):
    response = client.get("/valgomat/")
    html = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in html
    questions = [topic.question for topic in Topic.objects.all()]
    positions = [html.index(str(q).replace("'", "&#x27;").replace('"', "&quot;")) for q in questions]
    assert positions == sorted(positions)
    assert '<form id="skjema" class="valgomat-form" action="/valgomat/resultat/" method="get">' in html
    for answer in ("helt-enig", "delvis-enig", "noytral", "delvis-uenig", "helt-uenig"):
        assert f'value="har:{answer}"' in html
    assert "Hopp over" in html
    assert 'name="viktig" value="har"' in html
    assert "lagres ikke" in html


def test_a_new_topic_becomes_a_question(client):
    topic = make_topic(slug="naloksonprogram", order=99)
    html = client.get("/valgomat/").content.decode()
    assert f'value="{topic.slug}:helt-enig"' in html
    total = Topic.objects.count()
    step = client.get("/valgomat/", {"steg": total}).content.decode()
    assert f"{total} av {total}" in step and topic.question in step


def test_one_question_at_a_time_keeps_the_other_answers(client):
    response = client.get(
        "/valgomat/", {"svar": ["har:delvis-uenig", "lar:helt-enig"], "viktig": "har", "steg": "2"}
    )
    html = response.content.decode()
    first, second = Topic.objects.all()[:2]
    assert f"2 av {Topic.objects.count()}" in html
    assert second.question in html and first.question not in html
    # Every other answer travels as a hidden field; the current one is the checked radio.
    for topic, answer in (("har", "delvis-uenig"), ("lar", "helt-enig")):
        if topic == second.slug:
            assert f'value="{topic}:{answer}" checked' in html
        else:
            assert f'<input type="hidden" name="svar" value="{topic}:{answer}">' in html
    assert 'name="steg" value="3"' in html and 'name="steg" value="1"' in html


def test_the_htmx_step_is_a_fragment(client):
    html = client.get("/valgomat/", {"steg": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and "1 av" in html


def test_past_the_last_question_is_the_result(client):
    total = Topic.objects.count()
    response = client.get("/valgomat/", {"svar": "har:helt-enig", "steg": str(total + 1)})
    assert response.status_code == 302
    assert response["Location"] == "/valgomat/resultat/?svar=har%3Ahelt-enig"
    htmx = client.get(
        "/valgomat/", {"svar": "har:helt-enig", "steg": str(total + 1)}, headers={"HX-Request": "true"}
    )
    assert htmx["HX-Redirect"] == "/valgomat/resultat/?svar=har%3Ahelt-enig"


def test_the_result_page_equals_the_json(client):
    query = {**SANITY, "svar": [*SANITY["svar"], "lar:delvis-enig", "tvang:helt-uenig"], "viktig": "har"}
    results = ranking(client, query)
    html = client.get("/valgomat/resultat/", query).content.decode()
    names = re.findall(
        r'<svg class="swatch"[^>]*>.*?</svg>(?:<span class="rank">[^<]*</span> )?([^<]+)', html
    )
    assert names == [r["name"] for r in results]
    for r in results:
        if r["score"] is not None:
            assert f"{r['score']} % enig" in html
            assert f"bygger på {r['compared']} spørsmål" in html
    assert "Metoden påvirker rådet" in html
    assert results[0]["rank"] == 1


def test_every_answer_links_to_the_quote_behind_it(client):
    html = client.get("/valgomat/resultat/", SANITY).content.decode()
    assert (
        'href="/parti/r/tema/har/" data-hx-get="/parti/r/tema/har/" data-hx-target="#evidence-content"'
        in html
    )
    assert '<dialog id="evidence-dialog"' in html
    quote = client.get("/parti/r/tema/har/").content.decode()
    stance = Stance.objects.published().get(organisation__slug="r", topic__slug="har")
    assert stance.evidence.first().text in quote


def test_each_answer_item_says_what_the_json_says(client):
    """Every line's answer list, item by item, against the JSON: the voter's answer (or "hoppet
    over"), "(viktig)", the organisation's stance, "(ikke sammenlignet)" exactly where the voter
    answered and the organisation did not state a stance, and the cell's address; on two lines,
    which share what the page makes once for all of them."""
    query = {
        "svar": ["har:helt-enig", "lar:delvis-uenig", "tvang:noytral", "politi:helt-uenig"],
        "viktig": "lar",
    }
    results = ranking(client, query)
    html = client.get("/valgomat/resultat/", query).content.decode()
    labels = {
        "helt-enig": "Helt enig",
        "delvis-uenig": "Delvis uenig",
        "noytral": "Nøytral",
        "helt-uenig": "Helt uenig",
    }
    stances = dict(Stance.Value.choices)
    item = re.compile(
        r'<li><span class="answer-question">[^<]+</span>\n<span class="answer-pair">Du: ([^.]+)\.\n'
        r'([^:<]+): <a class="cell-link" href="([^"]+)" data-hx-get="\3"[^>]*>'
        r'<span class="visually-hidden">Se sitatet: </span><span class="badge badge-(\w+) [^"]+">'
        r'<span class="badge-icon" aria-hidden="true">[^<]+</span> ([^<]+)</span>\n</a>'
        r'( <span class="muted">\(ikke sammenlignet\)</span>)?</span></li>'
    )
    found, per_line = item.findall(html), Topic.objects.count()
    assert len(found) == len(results) * per_line
    for index, result in enumerate(results[:2]):
        lines = found[index * per_line : (index + 1) * per_line]
        for question, (answer, name, url, badge, label, not_compared) in zip(
            result["questions"], lines, strict=True
        ):
            expected = labels[question["answer"]] if question["answer"] else "hoppet over"
            assert answer == expected + (" (viktig)" if question["weight"] == 2 else "")
            assert name == result["name"]
            assert question["evidence"] == f"http://testserver{url}"
            assert (badge, label) == (question["stance"], str(stances[question["stance"]]))
            assert bool(not_compared) == (question["answer"] is not None and not question["compared"])
    assert any(not_compared for *_, not_compared in found) and any("(viktig)" in a for a, *_ in found)


LINE = re.compile(
    r'<li class="valgomat-result">\s*<h3><svg class="swatch"[^>]*><rect [^>]*fill="(#\w+)"/></svg>'
    r'(?:<span class="rank">([^<]*):</span> )?([^<]+)(?: <span class="level-label">([^<]+)</span>)?</h3>\s*'
    r'(?:<p class="score"><strong>([^<]+)</strong>.*?<span class="compared">([^<]+)</span>\s*'
    r'(?:<span class="other-rank">([^<]+)</span>)?</p>|<p class="score too-few">([^<]+)</p>)?\s*'
    r'<details class="answer-details">\s*<summary>([^<]+)</summary>',
    re.DOTALL,
)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "",
            (
                "Delt {}. plass",
                "{}. plass",
                "{} % enig",
                "bygger på {} spørsmål",
                "Med bykvartalavstand (manhattan): {}. plass.",
            ),
        ),
        (
            "/en",
            (
                "Shared place {}",
                "Place {}",
                "{} % agreement",
                "rests on {} question",
                "With city-block distance (Manhattan): place {}.",
            ),
        ),
    ],
)
def test_each_line_says_what_the_json_says(client, language, words):
    """Every line's heading and score against the JSON, in both languages: its rank (shared or
    not), name and level, percentage, how many questions it rests on, its rank by the other
    measure; and, for a line compared on too few questions, why it has no percentage."""
    from parties.models import Organisation

    shared, alone, percent, compared, other = words
    query = {
        "svar": [
            "har:helt-enig",
            "lar:delvis-uenig",
            "tvang:noytral",
            "politi:helt-uenig",
            "bolig:helt-enig",
        ],
        "avstand": "euklidsk",
        "niva": ["national", "county", "youth"],
    }
    results = ranking(client, query, f"{language}/valgomat/resultat.json")
    by_manhattan = {r["organisation"]: r["rank"] for r in ranking(client, {**query, "avstand": "manhattan"})}
    html = client.get(f"{language}/valgomat/resultat/", query).content.decode()
    lines = LINE.findall(html)
    assert len(lines) == len(results) and any(r["score"] is None for r in results)
    ranks = [r["rank"] for r in results]
    for result, line in zip(results, lines, strict=True):
        colour, rank, name, level, score, rests_on, other_rank, too_few, summary = line
        organisation = Organisation.objects.select_related("party").get(slug=result["organisation"])
        assert (colour, name) == (organisation.party.colour, result["name"]) and summary.endswith(f" {name}")
        assert bool(level) == (result["level"] != "national")
        if result["rank"] is None:
            assert not rank and not score and ("minst 3" in too_few or "at least 3" in too_few)
            continue
        assert rank == (shared if ranks.count(result["rank"]) > 1 else alone).format(result["rank"])
        assert score == percent.format(result["score"]) and not too_few
        assert rests_on.startswith(compared.format(result["compared"]))
        assert other_rank == other.format(by_manhattan[result["organisation"]])
    assert any(line[3] for line in lines) and any(line[7] for line in lines)  # levels, too few


def test_too_few_compared_questions_says_why_not_a_percentage(client):
    html = client.get("/valgomat/resultat/", {"svar": ["har:helt-enig", "lar:helt-enig"]}).content.decode()
    assert "Ingen prosent" in html and "minst 3" in html
    assert "% enig" not in html and "NaN" not in html
    results = ranking(client, {"svar": ["har:helt-enig", "lar:helt-enig"]})
    assert all(r["score"] is None and r["rank"] is None for r in results)


def test_an_all_neutral_voter_gets_no_ranking(client):
    query = {"svar": [f"{t.slug}:noytral" for t in Topic.objects.all()]}
    html = client.get("/valgomat/resultat/", query).content.decode()
    assert "Vi rangerer derfor ikke" in html and "% enig" not in html
    assert ". plass" not in html
    assert client.get("/valgomat/resultat.json", query).json()["method"]["ranked"] is False


def test_no_answers_at_all_is_a_sensible_page(client):
    html = client.get("/valgomat/resultat/").content.decode()
    assert "Du har ikke svart på noen spørsmål" in html


def test_switching_the_measure_is_a_link_and_changes_the_method_shown(client):
    html = client.get("/valgomat/resultat/", SANITY).content.decode()
    assert "avstand=euklidsk" in html
    data = client.get("/valgomat/resultat.json", {**SANITY, "avstand": "euklidsk"}).json()
    assert data["method"]["distance"] == "euklidsk" and "sqrt" in data["method"]["formula"]


def test_levels_select_branches(client):
    national = {r["organisation"] for r in ranking(client, SANITY)}
    assert "senterungdommen" not in national
    youth = {r["organisation"] for r in ranking(client, {**SANITY, "niva": "youth"})}
    assert youth == {"senterungdommen"}


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"svar": "har"}, "har"),
        ({"svar": "har:kanskje"}, "har:kanskje"),
        ({"svar": ["har:helt-enig", "har:helt-uenig"]}, "har"),
        ({"avstand": "chebyshev"}, "chebyshev"),
        ({"niva": "galaxy"}, "galaxy"),
        ({"viktig": "Ikke/slug"}, "ikke/slug"),
    ],
)
def test_malformed_values_are_a_400_that_names_them(client, query, named):
    for path in ("/valgomat/resultat/", "/valgomat/"):
        if path == "/valgomat/" and set(query) & {"avstand", "niva"}:
            continue  # the questions read only answers, important topics and the step
        response = client.get(path, query)
        assert response.status_code == 400
        assert named in response.content.decode()
    response = client.get("/valgomat/resultat.json", query)
    assert response.status_code == 400 and named in response.json()["error"]


def test_a_bad_step_is_a_400(client):
    assert client.get("/valgomat/", {"steg": "tre"}).status_code == 400


def test_an_unknown_topic_gives_a_notice(client):
    html = client.get(
        "/valgomat/resultat/", {"svar": [*SANITY["svar"], "finnesikke:helt-enig"]}
    ).content.decode()
    assert "<code>finnesikke</code>" in html
    assert client.get("/valgomat/resultat.json", {"svar": "finnesikke:helt-enig"}).json()[
        "unknown_topics"
    ] == ["finnesikke"]


def test_equal_questions_are_one_cached_page(client):
    first = client.get(
        "/valgomat/resultat/?svar=har:helt-enig&svar=lar:helt-enig&viktig=lar&viktig=lar&avstand=manhattan"
    )
    second = client.get("/valgomat/resultat/?viktig=LAR&svar=lar:helt-enig&svar=har:helt-enig&niva=national")
    assert first["ETag"] == second["ETag"]
    assert "public" in first["Cache-Control"] and not first.cookies


def test_published_changes_reach_the_result(client):
    before = ranking(client, SANITY)
    Stance.objects.filter(organisation__slug="frp").update(status="draft")
    data_changed()
    after = ranking(client, SANITY)
    frp = next(r for r in after if r["organisation"] == "frp")
    assert frp["compared"] == 0 and next(r for r in before if r["organisation"] == "frp")["compared"] == 1


def test_english(client):
    html = client.get("/en/valgomat/").content.decode()
    assert '<html lang="en">' in html
    assert client.get("/en/valgomat/resultat/", SANITY).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/valgomat/",
        "/valgomat/?steg=1",
        "/valgomat/?steg=3&svar=har:helt-enig&viktig=har",
        "/valgomat/resultat/",
        "/valgomat/resultat/?svar=avkriminalisering:helt-enig&svar=har:helt-enig&svar=sproyterom:helt-enig",
        "/valgomat/resultat/?svar=har:noytral",
        "/valgomat/resultat/?svar=har:helt-enig&svar=lar:delvis-uenig&svar=tvang:helt-uenig&niva=county&niva=youth",
        "/en/valgomat/resultat/?svar=har:helt-enig&svar=lar:delvis-uenig&svar=tvang:helt-uenig&avstand=euklidsk",
    ],
)
def test_every_valgomat_page_is_well_formed_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert check_html(response.content.decode()).errors == []


def test_the_method_section_explains_the_matching_in_both_languages(client):
    html = client.get("/metode/").content.decode()
    assert 'id="valgomat"' in html
    assert "Σ w·|v − p|" in html and "Lausanne" in html and "Hvem som er med" in html
    english = client.get("/en/metode/").content.decode()
    assert "How the voting advice application calculates" in english
    assert "Euclidean distance punishes large disagreements" in english


def test_the_english_valgomat_is_in_english(client):
    html = client.get("/en/valgomat/resultat/", SANITY).content.decode()
    assert "Voting advice: your result" in html and "% agreement" in html
    assert "The method shapes the advice" in html
    assert 'href="/en/valgomat/resultat/?svar=avkriminalisering%3Ahelt-enig' in html
    questions = client.get("/en/valgomat/").content.decode()
    assert "Strongly agree" in questions and "Skip" in questions


def test_a_bad_value_in_the_json_result_is_named_but_never_comes_back_as_markup(client):
    response = client.get("/valgomat/resultat.json", {"viktig": "<script>hostile()</script>"})
    assert response.status_code == 400
    assert b"<script" not in response.content and b"\\u003cscript\\u003e" in response.content
    assert json.loads(response.content)["error"].startswith(
        "«<script>hostile()</script>» er ikke en gyldig verdi"
    )
