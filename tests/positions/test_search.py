"""Statement search: bokmål finds nynorsk, ranking, filters, drafts, safe snippets, cost.

Everything but the last section runs on both databases (the PostgreSQL leg of ``make test``
runs it against the real ``norwegian`` text-search configuration and GIN index), so the same
assertions pin the fallback to the PostgreSQL results.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions.models import Statement
from positions.search import (
    MAX_QUERY_LENGTH,
    SearchHit,
    SearchQueryError,
    backend_name,
    count_statements,
    expand_word,
    fold,
    fts_match,
    parse_query,
    search_page,
    search_statements,
    spellings,
    tsquery_for,
    word_root,
)
from positions.search_variants import MAX_SPELLINGS
from ruspolitikk.synthetic.generate import generate
from tests.factories import make_organisation, make_party, make_source, make_statement, make_topic

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL full-text search"
)
postgres_marker = pytest.mark.postgres


@pytest.fixture
def corpus(db):
    """A bokmål party programme, a nynorsk youth resolution and a bokmål county text."""
    sproyterom = make_topic(slug="sproyterom")
    forebygging = make_topic(slug="forebygging")
    behandling = make_topic(slug="behandling")
    ap = make_organisation(slug="ap")
    sv = make_organisation(slug="sv")
    senterungdommen = make_organisation(party=make_party(slug="sp"), slug="senterungdommen", level="youth")
    innlandet = make_organisation(party=make_party(slug="v"), slug="innlandet-venstre", level="county")

    nb = make_source(organisation=ap, language="nb")
    nn = make_source(organisation=senterungdommen, language="nn")
    sv_source = make_source(organisation=sv, language="nb")
    county = make_source(organisation=innlandet, language="nb")
    s = {
        "rooms_twice": make_statement(
            source=nb,
            text="Vi vil opprette sprøyterom i flere byer, fordi sprøyterom redder liv.",
            topics=[sproyterom],
        ),
        "prevention_nb": make_statement(
            source=nb, text="Forebygging må starte tidlig i skolen.", topics=[forebygging]
        ),
        "dose_nb": make_statement(source=nb, text="Brukerdoser skal ikke straffes."),
        "prevention_nn": make_statement(
            source=nn, text="Ha eit førebyggingsløft i form av informasjonskampanjar.", topics=[forebygging]
        ),
        "dose_nn": make_statement(source=nn, text="Senke terskelverdiane for brukardosar."),
        "treated_nn": make_statement(
            source=nn,
            text="Det er brei politisk semje om at rusavhengige skal behandlast som sjuke, og ikkje "
            "kriminelle.",
            topics=[behandling],
        ),
        "municipalities_nn": make_statement(
            source=nn,
            text="Styrke overføringane til kommunane for å sikre oppfølging av dei som vert tekne med "
            "narkotika.",
        ),
        "housing_nn": make_statement(source=nn, text="Tilbodet om bustad og helsetenesta må styrkast."),
        "youth_nn": make_statement(
            source=nn, text="Ungdomen skal ikkje straffast for besitting av rusmiddel."
        ),
        "user_rooms_sv": make_statement(
            source=sv_source, text="Brukerrom bør prøves ut der behovet er størst.", topics=[sproyterom]
        ),
        "har_sv": make_statement(
            source=sv_source, text="Heroinassistert behandling (HAR) bør være et tilbud."
        ),
        "lar_sv": make_statement(source=sv_source, text="LAR må styrkes og bli mer fleksibel."),
        "county_rooms": make_statement(
            source=county, text="Innlandet trenger et sprøyterom på Hamar.", topics=[sproyterom]
        ),
        "draft_rooms": make_statement(source=nb, text="Sprøyterom i alle kommuner (utkast).", status="draft"),
    }
    return s


def found(query, **filters) -> list[str]:
    return [hit.statement.text for hit in search_statements(query, **filters)]


# --- bokmål finds nynorsk ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "nynorsk"),
    [
        ("forebygging", "prevention_nn"),
        ("brukerdose", "dose_nn"),
        ("brukerdoser", "dose_nn"),
        ("behandling", "treated_nn"),
        ("rusavhengige", "treated_nn"),
        ("kommune", "municipalities_nn"),
        ("kommunene", "municipalities_nn"),
        ("oppfølging", "municipalities_nn"),
        ("narkotika", "municipalities_nn"),
        ("bolig", "housing_nn"),
        ("tilbud", "housing_nn"),
        ("helsetjeneste", "housing_nn"),
        ("besittelse", "youth_nn"),
        ("ungdom", "youth_nn"),
        ("ungdommen", "youth_nn"),
        ("rusmidler", "youth_nn"),
    ],
)
def test_a_bokmal_query_finds_the_nynorsk_statement(corpus, query, nynorsk):
    assert corpus[nynorsk].text in found(query)


def test_a_bokmal_query_finds_bokmal_and_nynorsk_alike(corpus):
    assert set(found("forebygging")) == {corpus["prevention_nb"].text, corpus["prevention_nn"].text}
    assert set(found("brukerdose")) == {corpus["dose_nb"].text, corpus["dose_nn"].text}


def test_a_nynorsk_query_finds_the_bokmal_statement(corpus):
    assert corpus["prevention_nb"].text in found("førebygging")
    assert corpus["dose_nb"].text in found("brukardose")


def test_injection_room_synonyms_find_each_other(corpus):
    expected = {corpus[key].text for key in ("rooms_twice", "user_rooms_sv", "county_rooms")}
    for query in ("sprøyterom", "brukerrom", "brukarrom"):
        assert set(found(query)) == expected, query


def test_acronyms_find_what_they_stand_for(corpus):
    assert found("LAR") == [corpus["lar_sv"].text]
    assert found("HAR") == [corpus["har_sv"].text]
    assert corpus["lar_sv"].text in found("legemiddelassistert")


def test_words_must_all_match(corpus):
    assert found("sprøyterom Hamar") == [corpus["county_rooms"].text]
    assert found("sprøyterom København") == []


def test_a_minus_excludes_and_quotes_keep_words_together(corpus):
    assert corpus["rooms_twice"].text not in found("sprøyterom -byer")
    assert corpus["county_rooms"].text in found("sprøyterom -byer")
    assert found('"rusavhengige skal behandlast"') == [corpus["treated_nn"].text]
    assert found('"behandlast rusavhengige"') == []
    assert found('"rusavhengige er behandlast"') == [corpus["treated_nn"].text]  # a stop word is any word


def test_case_does_not_matter_even_for_norwegian_letters(corpus):
    assert found("FØREBYGGING") == found("førebygging") != []
    assert found("SPRØYTEROM") == found("sprøyterom") != []


# --- ø, å and æ typed without ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["sproyterom", "sproeyterom", "sprøyterom", "SPROYTEROM", "Sproeyterom"])
def test_injection_rooms_are_found_however_the_o_is_typed(corpus, query):
    expected = {corpus[key].text for key in ("rooms_twice", "user_rooms_sv", "county_rooms")}
    assert set(found(query)) == expected


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("oppfolging", "municipalities_nn"),
        ("overforingane", "municipalities_nn"),
        ("storst", "user_rooms_sv"),
        ("forebyggingslaft", None),  # nothing like it: the widening does not find just anything
    ],
)
def test_words_typed_without_the_letters_find_the_text_with_them(corpus, query, key):
    assert found(query) == ([corpus[key].text] if key else [])


def test_the_letters_typed_find_a_text_that_wrote_them_out(corpus):
    written_out = make_statement(
        organisation=corpus["rooms_twice"].organisation, text="Kommunen kan aapne et sproeyterom."
    )
    assert written_out.text in found("sprøyterom")
    assert written_out.text in found("sproyterom")
    assert found("åpne") == [written_out.text]


def test_the_snippet_marks_the_word_as_the_text_spells_it(corpus):
    [hit] = search_statements("hamar sproyterom")
    assert "<mark>sprøyterom</mark>" in hit.snippet


# --- ranking -----------------------------------------------------------------------------------


def test_the_statement_that_says_it_twice_ranks_first(corpus):
    hits = search_statements("sprøyterom")
    assert hits[0].statement == corpus["rooms_twice"]
    assert hits[0].rank > hits[-1].rank
    assert [hit.rank for hit in hits] == sorted((hit.rank for hit in hits), reverse=True)


# --- filters and drafts ------------------------------------------------------------------------


def test_filter_by_organisation(corpus):
    assert found("sprøyterom", organisations=["sv"]) == [corpus["user_rooms_sv"].text]
    assert set(found("sprøyterom", organisations=["sv", "innlandet-venstre"])) == {
        corpus["user_rooms_sv"].text,
        corpus["county_rooms"].text,
    }
    assert found("sprøyterom", organisations=["finnes-ikke"]) == []


def test_filter_by_topic(corpus):
    assert set(found("forebygging", topics=["forebygging"])) == {
        corpus["prevention_nb"].text,
        corpus["prevention_nn"].text,
    }
    assert found("brukerdose", topics=["forebygging"]) == []
    assert found("rusavhengige", topics=["forebygging", "behandling"]) == [corpus["treated_nn"].text]


def test_filter_by_level(corpus):
    assert found("sprøyterom", levels=["county"]) == [corpus["county_rooms"].text]
    assert found("forebygging", levels=["youth"]) == [corpus["prevention_nn"].text]
    assert set(found("sprøyterom", levels=["national"])) == {
        corpus["rooms_twice"].text,
        corpus["user_rooms_sv"].text,
    }


def test_drafts_are_left_out_unless_asked_for(corpus):
    assert corpus["draft_rooms"].text not in found("sprøyterom")
    assert corpus["draft_rooms"].text in found("sprøyterom", published_only=False)


def test_limit_caps_the_hits(corpus):
    assert len(search_statements("sprøyterom", limit=2)) == 2


# --- snippets ----------------------------------------------------------------------------------


def test_snippet_marks_the_matched_words(corpus):
    [hit] = search_statements("brukardose", organisations=["ap"])
    assert hit.snippet == "<mark>Brukerdoser</mark> skal ikke straffes."


def test_snippet_marks_the_nynorsk_form_a_bokmal_query_found(corpus):
    [hit] = search_statements("forebygging", levels=["youth"])
    assert "<mark>førebyggingsløft</mark>" in hit.snippet


def test_snippet_escapes_html_in_the_statement(corpus):
    make_statement(
        organisation=corpus["rooms_twice"].organisation,
        text="<script>alert('x')</script> & <b>overdosealarm</b> nå \ue000.",
    )
    [hit] = search_statements("overdosealarm")
    assert "<script>" not in hit.snippet
    assert "<b>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    assert "&lt;b&gt;<mark>overdosealarm</mark>&lt;/b&gt;" in hit.snippet
    assert "\ue000" not in hit.snippet
    assert hit.statement.text.startswith("<script>")  # the quote itself stays verbatim


def test_snippet_of_a_long_statement_is_cut_around_the_match(corpus):
    filler = " ".join(["Vi vil styrke arbeidet i hele landet."] * 20)
    make_statement(
        organisation=corpus["rooms_twice"].organisation, text=f"{filler} Derfor heroinbrukere. {filler}"
    )
    [hit] = search_statements("heroinbrukere")
    assert "<mark>heroinbrukere</mark>" in hit.snippet
    assert len(hit.snippet) < len(hit.statement.text) / 2


# --- bad and empty queries ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "!!!", "og ikke for", "-sprøyterom"])
def test_queries_with_nothing_to_look_for_find_nothing(corpus, query):
    assert search_statements(query) == []


def test_a_too_long_query_is_refused_with_a_clear_message(db):
    with pytest.raises(SearchQueryError, match=str(MAX_QUERY_LENGTH)) as error:
        search_statements("sprøyterom " * 20)
    assert isinstance(error.value, ValueError)


def test_a_query_of_exactly_the_maximum_length_is_accepted(corpus):
    query = ("sprøyterom" + " " * MAX_QUERY_LENGTH)[: MAX_QUERY_LENGTH - 1] + "x"
    assert search_statements(query) == []


def test_too_many_words_are_refused(db):
    with pytest.raises(SearchQueryError):
        search_statements(" ".join(f"ord{n}" for n in range(40)))


def test_query_operators_do_not_leak_into_sql(corpus):
    for query in ["sprøyterom & | ! ( ) : * ' \\", "'; DROP TABLE positions_statement; --", 'sprøyterom"']:
        search_statements(query)
    assert found("sprøyterom)") == found("sprøyterom")


# --- what a search costs -----------------------------------------------------------------------


def test_a_search_costs_a_bounded_number_of_queries(corpus, django_assert_max_num_queries):
    for n in range(30):
        make_statement(organisation=corpus["rooms_twice"].organisation, text=f"Sprøyterom nummer {n}.")
    # The matches' ids, their ranks (scores), the page's statements, their topics.
    with django_assert_max_num_queries(4):
        hits = search_statements("sprøyterom", limit=50)
        shown = [
            (
                hit.statement.source.title,
                hit.statement.organisation.party.name,
                hit.statement.organisation.level,
                [topic.slug for topic in hit.statement.topics.all()],
            )
            for hit in hits
        ]
    assert len(shown) == 33


def test_hits_are_search_hits_with_float_ranks(corpus):
    hits = search_statements("sprøyterom")
    assert all(isinstance(hit, SearchHit) and isinstance(hit.rank, float) and hit.rank > 0 for hit in hits)


def test_backend_name_says_which_engine_answered(db):
    expected = "postgresql" if connection.vendor == "postgresql" else "sqlite-fts5"
    assert backend_name() == expected


# --- expansion, no database --------------------------------------------------------------------


def test_expansion_adds_nynorsk_spellings_and_roots():
    term = expand_word("helsetjenester")
    assert {"helsetjenester", "helsetenester"} <= term.forms
    assert {"helsetjenest", "helsetenest"} <= term.prefixes


def test_spellings_restore_and_write_out_the_letters():
    assert {"sproyterom", "sproeyterom", "sprøyterom"} <= spellings("sproyterom")
    assert {"sproyterom", "sproeyterom", "sprøyterom"} <= spellings("sproeyterom")
    assert {"sproyterom", "sproeyterom", "sprøyterom"} <= spellings("sprøyterom")
    assert {"åpen", "aapen", "apen"} <= spellings("aapen")
    assert {"særlig", "saerlig"} <= spellings("saerlig") & spellings("særlig")
    assert spellings("hjelp") == {"hjelp"}


def test_spellings_of_a_word_with_many_o_and_a_are_capped():
    many = spellings("organisasjonar")
    restored = {form for form in many if {"ø", "å"} & set(form) and "oe" not in form and "aa" not in form}
    assert len(restored) == MAX_SPELLINGS  # of 2⁸ - 1
    assert "ørganisasjonar" in restored  # one letter replaced comes before two


def test_folding_makes_the_stand_ins_one():
    assert fold("Sprøyterom") == fold("sproeyterom") == fold("SPROYTEROM") == "sproyterom"
    assert fold("Åpen") == fold("aapen") == fold("apen")
    assert fold("Ærlig") == fold("aerlig")


def test_roots_keep_at_least_four_letters():
    assert word_root("behandling") == "behandl"
    assert word_root("besittelse") == "besitt"
    assert word_root("kommunane") == "kommun"
    assert word_root("rase") == "rase"


def test_lower_case_lar_and_har_are_acronyms_only_alone():
    assert "legemiddelassistert" in expand_word("lar", acronym=True).forms
    [har] = parse_query("har")
    assert har.forms == {"heroinassistert"}
    assert parse_query("partiet har") == parse_query("partiet")


# --- PostgreSQL only ---------------------------------------------------------------------------


@postgres_only
@postgres_marker
@pytest.mark.parametrize("query", ["sprøyterom", "brukerdose forebygging -sprøyterom", '"rusavhengige skal"'])
def test_postgresql_gin_index_serves_the_expanded_query(corpus, query):
    """The whole expanded query (variants, prefixes, negations, phrases) is GIN-indexable. On a
    table this small PostgreSQL rightly prefers other plans, so sequential scans are forbidden."""
    sql, params = (
        Statement.objects.filter(search_vector=tsquery_for(query))
        .order_by()
        .values("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on positions_statement_search_gin" in plan, plan


@postgres_only
@postgres_marker
def test_postgresql_search_matches_and_ranks_on_the_index_then_highlights_the_page(corpus):
    with CaptureQueriesContext(connection) as captured:
        search_statements("brukerdose")
    ranked, shown = (query["sql"] for query in captured.captured_queries[:2])
    written, used = ranked.split(" AS tsquery)", 1)  # the query is written once, then read
    for function in ("websearch_to_tsquery('norwegian'", "to_tsquery('simple'"):
        assert function in written and function not in used
    # Matched, ranked as found and paged in one query; the headline for the page's rows only, with
    # the query as the first one wrote it out.
    assert "@@ " in ranked and "ts_rank(" in ranked and "ts_headline(" not in ranked
    assert "ts_headline(" in shown and "::tsquery" in shown and "@@ " not in shown


@postgres_only
@postgres_marker
def test_postgresql_snippet_keeps_the_whole_short_statement(corpus):
    [hit] = search_statements("Hamar")
    assert hit.snippet == "Innlandet trenger et sprøyterom på <mark>Hamar</mark>."


@postgres_only
@postgres_marker
def test_postgresql_stems_what_the_fallback_only_approximates(corpus):
    """The Snowball stemmer joins "behandles" and "behandlast" (both 'behandl')."""
    assert corpus["treated_nn"].text in found("behandles")


# --- SQLite's FTS5 index, kept by triggers; pages of hits ---------------------------------------

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")


@sqlite_only
def test_the_sqlite_match_expression_ors_the_variants_ands_the_words_and_nots_the_exclusions():
    expression = fts_match(parse_query('brukerrom -"rusmidler salg"'))
    wanted, excluded = expression.split(" NOT ")
    assert '"brukarrom"' in wanted and '"injeksjonsrom"' in wanted and '"sprøyterom"' in wanted
    assert " OR " in wanted and " AND " not in wanted
    assert excluded == '("rusmidl"* + "salg"*)'
    assert fts_match(parse_query("behandling tilbud")).count(") AND (") == 1
    assert '"behandl"*' in fts_match(parse_query("behandling"))  # the root as a word start
    assert fts_match(parse_query('"rusavhengige er behandlast"')) == '(NEAR("rusavhengig"* "behandl"*, 1))'


@sqlite_only
def test_the_fts5_index_follows_inserts_moves_and_deletes(db):
    source = make_source(organisation=make_organisation(slug="ap"))
    statement = make_statement(source=source, text="Kvartalsrapporten nevner sprøyterom.")
    make_statement(source=source, text="Og dessuten heroinassistert behandling.")
    assert [hit.statement for hit in search_statements("kvartalsrapporten")] == [statement]
    # moved onto another span of its source: the index forgets the old words, learns the new
    moved = "Og dessuten heroinassistert behandling."
    Statement.objects.filter(pk=statement.pk).update(
        start=source.text.index(moved), end=len(source.text), text=moved
    )
    assert search_statements("kvartalsrapporten") == []
    assert statement in [hit.statement for hit in search_statements("dessuten")]
    Statement.objects.filter(pk=statement.pk).delete()
    assert statement.pk not in [hit.statement.pk for hit in search_statements("dessuten")]
    with connection.cursor() as cursor:  # the index agrees with the table, row for row
        cursor.execute(
            "INSERT INTO positions_statement_fts(positions_statement_fts, rank) VALUES ('integrity-check', 1)"
        )


@sqlite_only
def test_the_migration_indexes_with_diacritics_removed_and_keeps_its_triggers(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'")
        triggers = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'positions_statement_fts'")
        [(definition,)] = cursor.fetchall()
    assert triggers == {f"positions_statement_fts_{event}" for event in ("insert", "update", "delete")}
    assert "remove_diacritics 2" in definition and "content='positions_statement'" in definition


def test_bulk_created_statements_are_found(db):
    """generate_synthetic writes with bulk_create: the index (trigger on SQLite, search_vector
    trigger on PostgreSQL) must see those rows too."""
    source = make_source(organisation=make_organisation(slug="ap"), text="Lavterskel skadereduksjon nå.")
    Statement.objects.bulk_create(
        [
            Statement(
                source=source,
                organisation=source.organisation,
                text=source.text,
                start=0,
                end=len(source.text),
                order=1,
                kind="sentence",
                status="published",
            )
        ]  # fmt: skip
    )
    assert [hit.statement.text for hit in search_statements("skadereduksjon")] == [source.text]


def test_a_statement_generate_synthetic_made_is_found(db):
    generate(seed=5, organisations=20, topics=10, statements=400)
    statement = Statement.objects.published().order_by("pk").last()
    word = max(re.findall(r"\w+", statement.text), key=len)
    found = {hit.statement.pk for hit in search_statements(word, limit=500)}
    assert statement.pk in found


def test_hits_come_a_page_at_a_time_and_the_count_is_of_all(db):
    source = make_source(organisation=make_organisation(slug="ap"))
    made = [make_statement(source=source, text=f"Behandling nummer {n}.") for n in range(25)]
    make_statement(source=source, text="Noe helt annet.", status="draft")
    first = search_statements("behandling", limit=20)
    second = search_statements("behandling", limit=20, offset=20)
    assert len(first) == 20 and len(second) == 5
    assert {hit.statement for hit in first + second} == set(made)
    assert count_statements("behandling") == 25
    assert count_statements("behandling", organisations=["sv"]) == 0
    assert count_statements("-behandling") == 0
    with CaptureQueriesContext(connection) as queries:
        search_statements("behandling", limit=20, offset=20)
    # SQLite: the matches' ids and their scores (two), the page's statements, their topics.
    # PostgreSQL: the matches ranked and paged in one, the page's statements with their headlines,
    # their topics.
    assert len(queries) == (3 if connection.vendor == "postgresql" else 4)


def test_past_the_ranked_limit_only_the_first_matches_are_ranked_and_counted(db, monkeypatch):
    """search_page: a very common word ranks the first MAX_RANKED matches the database finds (the
    id order of a freshly loaded table), says there are more, and pages no further."""
    source = make_source(organisation=make_organisation(slug="ap"))
    made = [make_statement(source=source, text=f"Behandling nummer {n}.") for n in range(12)]
    monkeypatch.setattr("positions.search.MAX_RANKED", 10)
    page = search_page("behandling", limit=4)
    assert (page.total, page.more, len(page.hits)) == (10, True, 4)
    ranked = page.hits + search_page("behandling", limit=4, offset=4).hits
    ranked += search_page("behandling", limit=4, offset=8).hits
    assert {hit.statement for hit in ranked} == set(made[:10])
    assert search_page("behandling", limit=4, offset=12).hits == []
    monkeypatch.setattr("positions.search.MAX_RANKED", 12)
    page = search_page("behandling", limit=20)
    assert (page.total, page.more, {hit.statement for hit in page.hits}) == (12, False, set(made))


def test_past_the_ranked_limit_a_word_rare_at_the_start_is_found_all_the_same(db, monkeypatch):
    """PostgreSQL probes the first candidates in id order for a very common word; a word that is
    not common there (none of the first 50 here) is served by the GIN index, with the same result."""
    source = make_source(organisation=make_organisation(slug="ap"))
    for n in range(60):
        make_statement(source=source, text=f"Forebygging nummer {n}.")
    made = [make_statement(source=source, text=f"Behandling nummer {n}.") for n in range(12)]
    monkeypatch.setattr("positions.search.MAX_RANKED", 10)
    page = search_page("behandling", limit=20)
    assert (page.total, page.more, len(page.hits)) == (10, True, 10)
    assert {hit.statement for hit in page.hits} <= set(made)
    assert search_page("forebygging", limit=20).more  # common at the start: the probe
    assert search_page("behandling", organisations=["ap"], limit=20).total == 10  # filtered: the index


def test_a_filtered_search_finds_the_same_by_probe_and_by_index(db, monkeypatch):
    """PostgreSQL probes the first candidates of a filter in id order too: a word common there, or a
    filter with fewer candidates than the probe reads, is settled by the probe; otherwise the GIN
    index (behind the filter's fence) finds the matches. Every way finds the same statements."""
    ap, sv = make_organisation(slug="ap"), make_organisation(slug="sv", level="county")
    for organisation in (ap, sv):
        source = make_source(organisation=organisation)
        for n in range(30):
            make_statement(source=source, text=f"Forebygging nummer {n}.")
    made = {
        organisation.slug: {
            make_statement(source=make_source(organisation=organisation), text=f"Behandling nummer {n}.")
            for n in range(6)
        }
        for organisation in (ap, sv)
    }

    def found(**filters):
        page = search_page("behandling", limit=50, **filters)
        return {hit.statement for hit in page.hits}, page.total, page.more

    expected = {"ap": (made["ap"], 6, False), "county": (made["sv"], 6, False)}
    for one_in in (5, 2):  # 50 probed: every candidate; 20: the probe falls short, the index serves
        monkeypatch.setattr("positions.search.COMMON_WORD_ONE_IN", one_in)
        monkeypatch.setattr("positions.search.MAX_RANKED", 10)
        assert found(organisations=["ap"]) == expected["ap"]
        assert found(levels=["county"]) == expected["county"]
    monkeypatch.setattr("positions.search.MAX_RANKED", 4)
    monkeypatch.setattr("positions.search.COMMON_WORD_ONE_IN", 1)
    hits, total, more = found(organisations=["ap"])
    assert (total, more) == (4, True) and hits < made["ap"]


@sqlite_only
def test_sqlite_ranks_the_first_whole_forms_when_they_alone_are_more_than_the_limit(db, monkeypatch):
    """A common word's whole forms are read first (FTS5 reads whole words lazily, a root's prefix
    all at once): past the limit, the first of those are the ones ranked, and a text that only
    shares the root, even an earlier one, is not among them; under it, the whole query runs."""
    source = make_source(organisation=make_organisation(slug="ap"))
    root_only = make_statement(source=source, text="Behandlingsplassene mangler.")
    whole = [make_statement(source=source, text=f"Behandling nummer {n}.") for n in range(12)]
    monkeypatch.setattr("positions.search.MAX_RANKED", 10)
    page = search_page("behandling", limit=20)
    assert (page.total, page.more) == (10, True)
    assert {hit.statement for hit in page.hits} == set(whole[:10])
    monkeypatch.setattr("positions.search.MAX_RANKED", 20)
    page = search_page("behandling", limit=20)
    assert (page.total, page.more) == (13, False)
    assert {hit.statement for hit in page.hits} == {root_only, *whole}
    assert page.hits[-1].statement == root_only  # found by its root only: ranked last
