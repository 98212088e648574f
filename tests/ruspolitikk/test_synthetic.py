"""``manage.py generate_synthetic``: the real shape, deterministic, evidence by the real rules,
refuses editorial data, and the public pages render on what it makes (small sizes here; the
national size is the benchmark's: ``make bench SIZE=national``)."""

import hashlib
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from parties.models import Organisation, Party
from positions.models import Source, Stance, Statement, Topic
from positions.services import check_stance_evidence
from positions.tagging import tag_topics
from ruspolitikk.synthetic import places, shape, text
from ruspolitikk.synthetic.generate import generate
from tests.conftest import load_real_data

SMALL = {"organisations": 60, "topics": 16, "statements": 3000}
TINY = {"organisations": 20, "topics": 10, "statements": 400}


def digest() -> str:
    """Every generated row that carries meaning, in key order (a row's many-to-many values too: in
    the database's own order they follow the plan, which fresh statistics may change)."""
    rows = [
        list(Party.objects.order_by("pk").values_list("pk", "slug", "name")),
        list(Organisation.objects.order_by("pk").values_list("pk", "slug", "name", "level", "region")),
        list(Topic.objects.order_by("pk").values_list("pk", "slug", "lexicon")),
        list(
            Source.objects.order_by("pk").values_list("pk", "slug", "kind", "language", "date_start", "text")
        ),
        list(
            Statement.objects.order_by("pk", "topics__slug").values_list(
                "pk", "text", "kind", "confidence", "topics__slug"
            )
        ),
        list(
            Stance.objects.order_by("pk", "evidence").values_list(
                "pk", "organisation_id", "topic_id", "value", "evidence"
            )
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_place_list_is_norway_in_2024():
    assert len(places.municipalities()) == 357
    assert len(places.counties()) == 15
    assert {"Oslo", "Vestland", "Troms", "Finnmark", "Akershus"} <= set(places.counties())


def test_the_national_shape_has_every_party_its_youth_wing_and_a_branch_in_every_county():
    plans = shape.organisations(3000, shape.parties())
    levels = {
        level: sum(1 for o in plans if o.level == level)
        for level in ("national", "youth", "county", "municipal")
    }
    assert levels == {"national": 9, "youth": 9, "county": 135, "municipal": 2847}
    assert len({o.slug for o in plans}) == 3000
    by_slug = {o.slug: o for o in plans}
    # the real slugs: the parties' own, and the branches in the fixtures
    assert {p.slug for p in shape.parties()} == {o.slug for o in plans if o.level == "national"}
    assert by_slug["innlandet-venstre"].level == "county"
    assert by_slug["horten-venstre"].level == "municipal"
    assert by_slug["senterungdommen"].level == "youth"
    everywhere = shape.organisations(3357, shape.parties())  # every party in every place
    assert {o.region for o in everywhere if o.level == "municipal" and o.party.slug == "krf"} >= {
        "Våler (Østfold)",
        "Våler (Innlandet)",
        "Herøy (Nordland)",
        "Tromsø",
    }
    with pytest.raises(ValueError):
        shape.organisations(3358, shape.parties())


@pytest.mark.parametrize("topic", text.topics(30), ids=lambda t: t.slug)
def test_every_topic_phrase_is_found_by_its_own_lexicon(topic):
    for phrase in topic.phrases[0] + topic.phrases[1]:
        assert topic.slug in tag_topics(phrase, [topic]), phrase


@pytest.mark.django_db
def test_it_makes_what_was_asked_and_says_so(capsys):
    call_command("generate_synthetic", "--seed", "3", *(f"--{k}={v}" for k, v in SMALL.items()))
    out = capsys.readouterr().out
    assert Organisation.objects.count() == 60
    assert Topic.objects.count() == SMALL["topics"]
    assert Statement.objects.count() == 3000
    assert Stance.objects.count() == 60 * SMALL["topics"]  # full organisation × topic coverage
    assert not Stance.objects.values("organisation", "topic").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert set(Source.objects.values_list("kind", flat=True)) == {k for k, _ in Source.Kind.choices}
    assert set(Source.objects.values_list("language", flat=True)) == {"nb", "nn"}
    assert Source.objects.filter(kind="programme", date_precision="period", date_end__isnull=False).exists()
    assert re.search(
        r"Made 9 parties, 60 organisations .* 3000 statements .* 960 stances .* in [\d.]+ s", out
    )


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_data_and_another_seed_other_data():
    generate(seed=7, **TINY)
    first = digest()
    generate(seed=7, **TINY)
    assert digest() == first
    generate(seed=8, **TINY)
    assert digest() != first


@pytest.mark.django_db
def test_every_stated_stance_quotes_its_own_organisations_published_statements():
    generate(seed=1, **SMALL)
    stances = Stance.objects.select_related("organisation").prefetch_related("evidence__source")
    stated = 0
    for stance in stances:
        evidence = list(stance.evidence.all())
        check_stance_evidence(organisation=stance.organisation, value=stance.value, evidence=evidence)
        if stance.value != "none":
            stated += 1
            assert all(s.status == "published" for s in evidence)
            assert any(s.confidence == "certain" for s in evidence), stance
            assert all(s.source.text[s.start : s.end] == s.text for s in evidence)
            assert all(s.topics.filter(pk=stance.topic_id).exists() for s in evidence)
    assert stated > 400


@pytest.mark.django_db
def test_it_replaces_the_seed_fixtures_but_refuses_an_editors_data_unless_told():
    load_real_data()
    generate(seed=1, **TINY)  # the fixtures are rebuilt by load_data: replaced without asking
    assert not Source.objects.exclude(seed_file="").exists()
    national = Organisation.objects.get(slug="ap")
    Source.objects.create(organisation=national, slug="importert", title="Importert", kind="web_page",
                          language="nb", text="Et partis egen tekst.")  # fmt: skip
    with pytest.raises(CommandError, match="1 sources neither from the seed files nor synthetic"):
        call_command("generate_synthetic", *(f"--{k}={v}" for k, v in TINY.items()))
    assert Source.objects.filter(slug="importert").exists()  # nothing was touched
    call_command("generate_synthetic", "--replace", *(f"--{k}={v}" for k, v in TINY.items()))
    assert not Source.objects.filter(slug="importert").exists()


@pytest.mark.django_db
def test_it_refuses_a_database_where_an_editor_changed_a_stance(django_user_model):
    generate(seed=1, **TINY)
    stance = Stance.objects.filter(value="for").first()
    stance.summary = "Endret av en redaktør."
    stance._history_user = django_user_model.objects.create_user("redaktor")
    stance.save()
    with pytest.raises(CommandError, match="1 changes by an editor in positions_historicalstance"):
        call_command("generate_synthetic", *(f"--{k}={v}" for k, v in TINY.items()))


@pytest.mark.django_db
def test_public_pages_render_and_search_finds_generated_text(client):
    generate(seed=1, **SMALL)
    source = Source.objects.filter(organisation__slug="ap").first()
    for path in (
        "/", "/?niva=county", "/parti/ap/", "/parti/oslo-hoyre/", "/parti/ap/tema/lar/", "/tema/lar/",
        f"/kilde/{source.slug}/", "/sammenlign/?parti=ap&parti=h", "/eksport.csv", "/eksport.json",
        "/eksport.xlsx", "/datapakke.json", "/en/tema/alkohol/",
    ):  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert client.get("/parti/ap/tema/lar/", headers={"HX-Request": "true"}).status_code == 200
    # the search index is in step after the bulk insert: a stem and the nynorsk form both find text
    assert "Arbeiderpartiet" in client.get("/sok/?q=metadon").content.decode()
    assert client.get("/sok/?q=brukarrom").status_code == 200
    nynorsk = Statement.objects.filter(text__contains="brukarrom").first()
    if nynorsk:
        assert nynorsk.organisation.name in client.get("/sok/?q=brukarrom").content.decode()
