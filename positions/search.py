"""Full-text search over statements, for ``/sok/?q=…``.

API::

    search_statements(query, *, organisations=None, topics=None, levels=None,
                      published_only=True, limit=50, offset=0) -> list[SearchHit]
    count_statements(query, *, organisations=None, topics=None, levels=None, published_only=True) -> int
    backend_name() -> "postgresql" | "sqlite-fts5" | "python-fallback"   # explained on /om/
    SearchHit(statement, rank, snippet)
    SearchQueryError (a ValueError): the query cannot be run; str() is a message for the user.

Helpers, public for tests and EXPLAIN: ``parse_query``, ``expand_word``, ``word_root``,
``tsquery_for`` (the PostgreSQL query a search would run), ``ranked_page_sql`` (the first query
PostgreSQL runs: the matches with their filters, ranked and paged) and ``page_rows_queryset`` (the
second: the page's statements with their headlines).

``organisations`` are Organisation slugs, ``topics`` Topic slugs, ``levels`` Organisation.Level
values; ``None`` (or empty) means no filter. Unknown slugs simply match nothing: telling the
user about them is the view's job. Hits come best first; each ``statement`` has its source,
organisation and organisation.party selected and its topics prefetched (their
``HIT_TOPIC_FIELDS`` only). ``snippet`` is HTML-safe: the statement text escaped, matched words
wrapped in ``<mark>…</mark>``.

The query language (a subset of PostgreSQL's websearch syntax, parsed here for both backends):
words must all match (AND); ``"several words"`` matches them in sequence; ``-word`` or
``-"words"`` excludes. Upper/lower case does not matter. Common words (PostgreSQL's Norwegian
stop-word list, in ``positions.search_variants``) are ignored; a query of nothing else finds
nothing.

Expansion, so a bokmål query finds nynorsk text (and the other way round). Every plain word is
widened to a set of *forms* and *prefixes* (``expand_word``):
- spellings without ø, å, æ, both ways (``spellings``): ``sproyterom`` and ``sproeyterom`` are
  widened to ``sprøyterom``, ``sprøyterom`` to ``sproyterom`` and ``sproeyterom``;
- synonyms (sprøyterom = brukerrom = brukarrom …) and acronyms: ``LAR`` → legemiddelassistert,
  ``HAR`` → heroinassistert (an acronym when written in capitals or when it is the whole query);
- bokmål ↔ nynorsk spellings inside words (forebygg/førebygg, bruker/brukar, tjenest/tenest,
  tilbud/tilbod, bolig/bustad, midl/middel, behandl/handsam, …), so compounds follow too;
- a *root*: the form with one common ending cut off (behandling → behandl, besittelse → besitt,
  kommunane → kommun), matched as the start of a word when at least four letters are left.
The lists live in ``positions.search_variants``.

PostgreSQL (``backend_name() == "postgresql"``): each word becomes
``websearch_to_tsquery('norwegian', form) || … || to_tsquery('simple', 'root':*) || …`` and the
words are AND-ed; the statement's trigger-kept ``search_vector`` (GIN-indexed, Norwegian
Snowball stemmer) is matched with ``@@`` (behind a scalar subquery so the GIN index answers it,
see ``_Matches``), ordered by ``ts_rank`` and highlighted with
``ts_headline`` (at most two fragments for long statements). Phrases use
``phraseto_tsquery`` (stemmed, no variants, so no ø/å/æ spellings either). Two SQL queries (the
page ranked, its rows with headlines) plus one to prefetch topics.

SQLite (``"sqlite-fts5"``): SQLite's own full-text index, ``positions_statement_fts`` (FTS5,
external content over ``positions_statement``, kept in step by triggers: migration 0008;
tokenizer ``unicode61 remove_diacritics 2``, so case and accents fold, ø and æ do not). Each
word becomes an FTS5 MATCH of its forms and prefixes OR-ed (``"brukerrom" OR "brukarrom" OR …
OR "behandl"*``, ``fts_match``), the words AND-ed, excluded ones taken away with NOT; the same
variants and synonyms as PostgreSQL, but no Snowball stemmer: a root matched as a word start
stands in for it. A phrase is its words' roots in sequence (``"behandl"* + "tilbud"*``); a stop
word inside a phrase becomes ``NEAR(…, n)``, which does not keep the order. Ranked by ``bm25()``,
texts that use a query word as typed (any ø/å/æ spelling) first, as the fallback's rank does;
highlighted in Python on the page's rows only (the fallback's word tests, ``_fallback_snippet``).
Filters and published-only are SQL joined to the index. Three SQL queries a page (ids, rows,
topics), one more for the count (``count_statements``).

Any other database (``"python-fallback"``): the filtered candidate statements are read (id and
text only) and matched in Python. Text and query words are compared folded (``fold``: ø = o =
oe, å = a = aa, æ = ae). A text word matches a form when it equals it, shares its root, or
starts with one of the prefixes. Rank = number of matched words (the query's own spelling
counting a little more than its variants). For single words in the test-suite, every backend
returns the same statements.

Known limits on both: no compound splitting ("politikk" does not find "ruspolitikk"); "HAR" in a
text is a stop word to PostgreSQL and so is never found as such; ``OR`` is not supported.
"""

import operator
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import combinations, islice

from django.contrib.postgres.search import Lexeme, SearchHeadline, SearchQuery, SearchQueryField, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, Prefetch, Subquery, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.html import escape
from django.utils.translation import gettext

from .models import Statement, Topic
from .search_variants import (
    ACRONYMS,
    ENDINGS,
    FOLDED_LETTERS,
    INFIXES,
    MAX_SPELLINGS,
    MIN_ROOT,
    STOP_WORDS,
    SUFFIXES_NB_NN,
    SYNONYMS,
)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
MAX_FORMS_PER_WORD = 32

# Markers for ts_headline: private-use characters that survive escaping and are then turned
# into <mark> tags. Any marker already in a statement's text is removed, never made a tag.
_MARK_START = "\ue000"
_MARK_END = "\ue001"
_MARKED = re.compile(f"{_MARK_START}([^{_MARK_START}{_MARK_END}]*){_MARK_END}")

_WORD = re.compile(r"\w+")
_QUERY_TOKEN = re.compile(r'(?P<neg>(?<![\w-])-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>\w+))')

# Statements up to this many characters are shown whole; longer ones cut around the matches.
SNIPPET_WHOLE_TEXT_UP_TO = 400
SNIPPET_MAX_WORDS = 35


class SearchQueryError(ValueError):
    """The query cannot be run as written; the message says why, for the user."""


@dataclass(frozen=True)
class SearchHit:
    statement: Statement
    rank: float
    snippet: str


# Ranked at most: a word found in more statements (a very common one, at national size) has only the
# first this many matches the database finds ranked and counted, so a page costs the same at any
# size; the count says "over 1 000", /om/ says so. Pages reach this far: 50 pages of 20.
MAX_RANKED = 1000


@dataclass(frozen=True)
class SearchPage:
    """``hits``: the page asked for, best first. ``total``: how many statements were ranked (all that
    match, at most ``MAX_RANKED``). ``more``: more than ``MAX_RANKED`` match; then only the first
    ``MAX_RANKED`` the database finds (in its storage order, about the order they were added) are
    ranked and paged, not the best of all of them."""

    hits: list[SearchHit]
    total: int
    more: bool


@dataclass(frozen=True)
class Term:
    """One query word widened to its forms (whole words) and prefixes (word starts)."""

    word: str
    forms: frozenset[str]
    prefixes: frozenset[str]
    negated: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must follow each other, as typed (no variants)."""

    words: tuple[str, ...]
    negated: bool = False


def backend_name() -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    return "sqlite-fts5" if connection.vendor == "sqlite" else "python-fallback"


def search_statements(
    query: str,
    *,
    organisations: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
    published_only: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> list[SearchHit]:
    """The hits ``offset`` to ``offset + limit`` (a page of them), best first."""
    return search_page(
        query,
        organisations=organisations,
        topics=topics,
        levels=levels,
        published_only=published_only,
        limit=limit,
        offset=offset,
    ).hits


def search_page(
    query: str,
    *,
    organisations: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
    published_only: bool = True,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """A page of hits and how many there are, up to ``MAX_RANKED`` (see ``SearchPage``)."""
    if limit < 1 or offset < 0:
        raise ValueError(f"limit must be at least 1 and offset at least 0, not {limit} and {offset}")
    clauses = parse_query(query)
    if not any(not clause.negated for clause in clauses):
        return SearchPage(hits=[], total=0, more=False)
    candidates = _filtered(
        organisations=organisations, topics=topics, levels=levels, published_only=published_only
    )
    engine = backend_name()
    if engine == "postgresql":
        filtered = bool(organisations or topics or levels)
        return _search_postgresql(candidates, clauses, limit, offset, filtered=filtered)
    if engine == "sqlite-fts5":
        return _search_sqlite(candidates, clauses, limit, offset)
    found = _search_fallback(candidates, clauses, 1 << 30)
    return SearchPage(
        hits=found[:MAX_RANKED][offset : offset + limit],
        total=min(len(found), MAX_RANKED),
        more=len(found) > MAX_RANKED,
    )


def count_statements(
    query: str,
    *,
    organisations: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
    published_only: bool = True,
) -> int:
    """How many statements ``search_statements`` finds in all (for "21–40 of 1 234"): one query."""
    clauses = parse_query(query)
    if not any(not clause.negated for clause in clauses):
        return 0
    candidates = _filtered(
        organisations=organisations, topics=topics, levels=levels, published_only=published_only
    )
    engine = backend_name()
    if engine == "postgresql":
        return candidates.filter(search_vector=_combined_tsquery(clauses)).count()
    if engine == "sqlite-fts5":
        inner, params = _candidate_sql(candidates)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} JOIN ({inner}) AS c ON c.pk = {FTS_TABLE}.rowid"
                f" WHERE {FTS_TABLE} MATCH %s",
                [*params, fts_match(clauses)],
            )
            return cursor.fetchone()[0]
    return len(_search_fallback(candidates, clauses, 1 << 30))


# --- the query ---------------------------------------------------------------------------------


def parse_query(query: str) -> list[Term | Phrase]:
    """Split a query into terms and phrases, dropping stop words. Raises SearchQueryError."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            gettext("Søket er for langt (%(length)d tegn). Bruk høyst %(max)d tegn.")
            % {"length": len(query), "max": MAX_QUERY_LENGTH}
        )
    tokens = list(_QUERY_TOKEN.finditer(query))
    only_word = len(tokens) == 1 and tokens[0]["word"] is not None
    clauses: list[Term | Phrase] = []
    for token in tokens:
        negated = token["neg"] is not None
        if token["word"] is not None:
            written = token["word"]
            term = expand_word(written.lower(), acronym=only_word or (written.isupper() and len(written) > 1))
            if term.forms or term.prefixes:
                clauses.append(Term(term.word, term.forms, term.prefixes, negated))
        else:
            words = [word.lower() for word in _WORD.findall(token["phrase"])]
            while words and words[0] in STOP_WORDS:
                words.pop(0)
            while words and words[-1] in STOP_WORDS:
                words.pop()
            if words:
                clauses.append(Phrase(tuple(words), negated))
    if len(clauses) > MAX_TERMS:
        raise SearchQueryError(
            gettext("Søket har for mange ord (%(count)d). Bruk høyst %(max)d.")
            % {"count": len(clauses), "max": MAX_TERMS}
        )
    return clauses


def expand_word(word: str, *, acronym: bool = False) -> Term:
    """The forms and prefixes a lower-case query word matches; empty if it is only a stop word."""
    forms = {word} if word in STOP_WORDS else spellings(word)  # "for" is no "før" or "foer"
    if acronym and word in ACRONYMS:
        forms.add(ACRONYMS[word])
    forms.update(short for short, long in ACRONYMS.items() if long == word)
    for group in SYNONYMS:
        if forms & group:
            forms |= group
    for bokmal, nynorsk in INFIXES:
        for old, new in ((bokmal, nynorsk), (nynorsk, bokmal)):
            forms |= {form.replace(old, new) for form in forms if old in form}
    for bokmal, nynorsk in SUFFIXES_NB_NN:
        for old, new in ((bokmal, nynorsk), (nynorsk, bokmal)):
            forms |= {form.removesuffix(old) + new for form in forms if form.endswith(old)}
    forms = set(sorted(forms - STOP_WORDS, key=lambda form: (form != word, form))[:MAX_FORMS_PER_WORD])
    prefixes = {root for form in forms if len(root := word_root(form)) >= MIN_ROOT}
    return Term(word, frozenset(forms), frozenset(prefixes))


_SINGLE_STAND_INS = {
    stand_in: letter for letter, ins in FOLDED_LETTERS for stand_in in ins if len(stand_in) == 1
}
_FOLD_LETTERS = str.maketrans({letter: stand_ins[0] for letter, stand_ins in FOLDED_LETTERS})


def spellings(word: str) -> set[str]:
    """``word`` and its spellings with ø, å and æ written out or typed without (``FOLDED_LETTERS``).

    Typed without: the two-letter stand-ins become their letter (``sproeyterom`` → ``sprøyterom``),
    then single o's and a's become ø and å, fewest first, at most ``MAX_SPELLINGS`` of these.
    Written out: in each of those spellings, each of these letters becomes each of its stand-ins
    (every ø an o, or every ø an oe), so ``sproyterom`` also finds a text that wrote ``sproeyterom``.
    """
    restored = word
    for letter, stand_ins in FOLDED_LETTERS:
        for stand_in in stand_ins:
            if len(stand_in) > 1:
                restored = restored.replace(stand_in, letter)
    positions = [i for i, char in enumerate(restored) if char in _SINGLE_STAND_INS]
    replaced = (
        "".join(_SINGLE_STAND_INS[char] if i in chosen else char for i, char in enumerate(restored))
        for size in range(1, len(positions) + 1)
        for chosen in combinations(positions, size)
    )
    found = {word, restored, *islice(replaced, MAX_SPELLINGS)}
    for letter, stand_ins in FOLDED_LETTERS:
        found |= {
            form.replace(letter, stand_in) for form in found if letter in form for stand_in in stand_ins
        }
    return found


def fold(text: str) -> str:
    """Lower case, with ø = o = oe, å = a = aa and æ = ae: "Sprøyterom", "sproeyterom" and
    "sproyterom" all fold to "sproyterom". For comparing, never for showing."""
    return text.lower().translate(_FOLD_LETTERS).replace("oe", "o").replace("aa", "a")


def word_root(word: str) -> str:
    """``word`` without its longest common ending, if at least MIN_ROOT letters are left."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_ROOT:
            return word[: -len(ending)]
    return word


# --- shared ------------------------------------------------------------------------------------


def _filtered(*, organisations, topics, levels, published_only):
    statements = Statement.objects.published() if published_only else Statement.objects.all()
    if organisations:
        statements = statements.filter(organisation__slug__in=list(organisations))
    if levels:
        statements = statements.filter(organisation__level__in=list(levels))
    if topics:
        tagged = Statement.topics.through.objects.filter(topic__slug__in=list(topics))
        statements = statements.filter(pk__in=tagged.values("statement_id"))
    return statements


# What a hit shows of each of its statement's topics: its name, in either language, and its slug
# for the cell's address. Not the question, explainers or lexicon: other pages show those.
HIT_TOPIC_FIELDS = ("slug", "name", "name_en", "order")


def _for_display(statements):
    """The hits' statements with what a hit shows, read as every quote is (``as_quotes``: never the
    source's full text, 190 KB read and decoded a page of 20 hits at national size, for nothing;
    the statement's search vector is never loaded by its manager). Their topics are read with
    ``HIT_TOPIC_FIELDS`` only: a page of 20 hits reads 40-70 of them at national size."""
    topics = Topic.objects.only(*HIT_TOPIC_FIELDS).order_by("order")
    return (
        statements.as_quotes()
        .select_related("source__organisation", "organisation__party")
        .prefetch_related(Prefetch("topics", queryset=topics))
    )


def _mark(text_with_markers: str) -> str:
    """Escape text, then turn marker pairs into <mark> tags; stray markers are dropped."""
    marked = _MARKED.sub(r"<mark>\1</mark>", escape(text_with_markers))
    return marked.replace(_MARK_START, "").replace(_MARK_END, "")


# --- PostgreSQL --------------------------------------------------------------------------------


def _tsquery(clause: Term | Phrase) -> SearchQuery:
    if isinstance(clause, Phrase):
        parts = [SearchQuery(" ".join(clause.words), config="norwegian", search_type="phrase")]
    else:
        parts = [
            SearchQuery(form, config="norwegian", search_type="websearch") for form in sorted(clause.forms)
        ]
        if clause.prefixes:
            prefixes = (Lexeme(prefix, prefix=True) for prefix in sorted(clause.prefixes))
            parts.append(SearchQuery(reduce(operator.or_, prefixes), config="simple"))
    if clause.negated:  # not (a or b) = not a and not b; Django cannot negate a combined query
        return reduce(operator.and_, (~part for part in parts))
    return reduce(operator.or_, parts)


def _headline(query, **options) -> SearchHeadline:
    """ts_headline with our markers: the whole text unless fragment options are given."""
    options.setdefault("highlight_all", not options)
    return SearchHeadline(
        "text", query, config="norwegian", start_sel=_MARK_START, stop_sel=_MARK_END, **options
    )


def tsquery_for(query: str) -> SearchQuery | None:
    """The PostgreSQL query a search runs (None if there is nothing to look for): for EXPLAIN."""
    clauses = parse_query(query)
    if not any(not clause.negated for clause in clauses):
        return None
    return _combined_tsquery(clauses)


def _combined_tsquery(clauses) -> SearchQuery:
    return reduce(operator.and_, (_tsquery(clause) for clause in clauses))


def ranked_page_sql(
    query: str,
    *,
    organisations: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
    published_only: bool = True,
    limit: int = 20,
    offset: int = 0,
) -> tuple[str, list] | None:
    """The first query PostgreSQL's search runs, filters included, as (sql, params): the first
    ``MAX_RANKED + 1`` matches found, ranked, and the page asked for (None if there is nothing to
    look for). For EXPLAIN, so a test can pin its plan (the GIN index)."""
    clauses = parse_query(query)
    if not any(not clause.negated for clause in clauses):
        return None
    candidates = _filtered(
        organisations=organisations, topics=topics, levels=levels, published_only=published_only
    )
    filtered = bool(organisations or topics or levels)
    return _ranked_page_sql(candidates, _combined_tsquery(clauses), limit, offset, filtered=filtered)


def page_rows_queryset(query: str, ids: Iterable[int]):
    """The second: the page's statements with their headlines, by id (None if there is nothing to
    look for). For EXPLAIN: ts_headline runs over the page's rows only."""
    clauses = parse_query(query)
    if not any(not clause.negated for clause in clauses):
        return None
    return _page_rows(list(ids), _combined_tsquery(clauses))


def _search_postgresql(candidates, clauses, limit, offset, *, filtered: bool) -> SearchPage:
    """Two queries and the topics': the page of the first ``MAX_RANKED`` matches ranked with
    ``ts_rank`` (``_ranked_page_sql``: the GIN index, or for a very common word a probe in id order,
    finds them; the heap is read only until that many are found, not for every match), then the
    page's statements with their headlines. ts_rank over every match of a very common word (140,000
    at national size) took seconds; ranking the capped set in a second query cost passing its
    thousand ids back to PostgreSQL as parameters, more time in Python than in the database."""
    query = _combined_tsquery(clauses)
    sql, params = _ranked_page_sql(candidates, query, limit, offset, filtered=filtered)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = cursor.fetchall()
    if not ranked:  # no match, or a page past the last: how many there are, from the first page
        if offset == 0:
            return SearchPage(hits=[], total=0, more=False)
        first = _search_postgresql(candidates, clauses, 1, 0, filtered=filtered)
        return SearchPage(hits=[], total=first.total, more=first.more)
    found, written = ranked[0][2], ranked[0][3]
    page = SearchPage(hits=[], total=min(found, MAX_RANKED), more=found > MAX_RANKED)
    # The headlines take the query as the first one wrote it out: one parameter, not the ~30 forms
    # (and their compiling) again for each of the two headline expressions.
    written_query = RawSQL("%s::tsquery", (written,), output_field=SearchQueryField())
    ids = [pk for pk, *_ in ranked]
    rows = _page_rows(ids, written_query).in_bulk(ids)
    page.hits.extend(
        SearchHit(statement=rows[pk], rank=float(rank), snippet=_mark(rows[pk].headline))
        for pk, rank, *_ in ranked
    )
    return page


def _page_rows(ids: list[int], query):
    """The page's statements, for display, each with its ``headline``: the whole text highlighted,
    or for a long one at most two fragments around the matches."""
    return (
        _for_display(Statement.objects.filter(pk__in=ids))
        .annotate(
            headline=Case(
                When(LessThanOrEqual(Length("text"), SNIPPET_WHOLE_TEXT_UP_TO), then=_headline(query)),
                default=_headline(
                    query,
                    max_words=SNIPPET_MAX_WORDS,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
        )
        .order_by()
    )


def _ranked_page_sql(candidates, query, limit: int, offset: int, *, filtered: bool) -> tuple[str, list]:
    """One query: (id, rank, how many were found, the query as text) of the page's statements, best
    first.

    The query (``search_query``, a CTE) is compiled once and read wherever it is used (``_QUERY``):
    its ~30 forms and prefixes compiled and sent once, not once for each use. The first
    ``MAX_RANKED + 1`` matches are found (``_first_matches_probing_first``: a probe in id order, or
    the GIN index) with their ``ts_rank``, computed as each is found, while the row (and its vector)
    is at hand; the first ``MAX_RANKED`` of them, in the order found, are ordered and the page cut
    from them. The count of those found comes on every row."""
    compiler = candidates.query.get_compiler(connection=connection)
    tsquery, tsquery_params = query.resolve_expression(candidates.query).as_sql(compiler, connection)
    found, found_params = _first_matches_probing_first(candidates, filtered=filtered)
    sql = (
        f"WITH search_query AS MATERIALIZED (SELECT {tsquery} AS tsquery), found AS MATERIALIZED ({found}),"
        " numbered AS (SELECT *, row_number() OVER () AS place, count(*) OVER () AS found_count FROM found)"
        " SELECT pk, rank, found_count, (SELECT tsquery::text FROM search_query) FROM numbered"
        ' WHERE place <= %s ORDER BY rank DESC, source_id, "order", pk LIMIT %s OFFSET %s'
    )
    return sql, [*tsquery_params, *found_params, MAX_RANKED, limit, offset]


# The search's query where ``_ranked_page_sql`` has written it (the ``search_query`` CTE).
_QUERY = "(SELECT tsquery FROM search_query)"


def _query():
    return RawSQL(_QUERY, (), output_field=SearchQueryField())


def _first_matches(candidates, *, filtered: bool):
    """(id, source, order, rank) of up to ``MAX_RANKED + 1`` matching candidates, in the order the
    database finds them (a part of ``_ranked_page_sql``: the query is its ``search_query``).

    The match is behind a scalar subquery (``_Matches``) so the planner uses the GIN index. Without
    a filter (published only), the match is a condition on the table itself: the bitmap heap scan
    stops after that many rows. With a filter of organisation, level or topic, the match is also
    fenced off in a subquery (``OFFSET 0``): the planner would otherwise let a narrow filter (a level
    with few organisations) drive the scan and test every candidate's vector instead."""
    if filtered:
        matching = Statement.objects.filter(_Matches(F("search_vector"), _query())).order_by().values("pk")
        candidates = candidates.filter(pk__in=Subquery(matching, template="(%(subquery)s OFFSET 0)"))
    else:
        candidates = candidates.filter(_Matches(F("search_vector"), _query()))
    return (
        candidates.order_by()
        .annotate(rank=SearchRank(F("search_vector"), _query()))
        .values("pk", "source_id", "order", "rank")[: MAX_RANKED + 1]
    )


# The probe reads up to this many candidates a ranked match: enough for a word in one in this many.
COMMON_WORD_ONE_IN = 16
# Without a filter, a word in more than one in this many of the first candidates is probed.
PROBED_IF_ONE_IN = 12


def _first_matches_probing_first(candidates, *, filtered: bool) -> tuple[str, list]:
    """SQL for ``_first_matches``, and its params, probing first where that is cheaper: the first
    candidates (filters applied) are read in id order and their vectors tested, until ``MAX_RANKED
    + 1`` match or ``COMMON_WORD_ONE_IN * MAX_RANKED`` have been read. When that finds more than
    ``MAX_RANKED`` matches, or there are no more candidates than that (a narrow filter: then the
    probe has tested every one), the probe's matches are the answer; otherwise ``_first_matches``
    (the GIN index) is.

    The GIN index cannot stop early: for a word in 140,000 statements it builds a bitmap of every
    one (120-190 ms at national size) before the first row is read, and behind a filter's fence it
    then reads every one of them (2 s for "behandling" in the municipal branches). Testing
    candidates' vectors in id order costs about a microsecond each, so the probe finds 1,000 matches
    of a word in one statement in ten in ~10 ms, where its bitmap (50,000 rows) takes 20; for a
    rarer word the bitmap is the cheaper (12 ms for "sprøyterom", in one in thirty).

    Without a filter, which way is read from a sample, the first ``MAX_RANKED`` candidates: a word
    in more than one in ``PROBED_IF_ONE_IN`` of them is probed, as are candidates too few to fill
    the sample; others go straight to the GIN index. A probe of a word that is not as common further
    on is the costly mistake (the probe read in vain, then the bitmap), so the sample must show it
    clearly common. PostgreSQL national set, the ranked query: "behandling" (28 % of statements)
    5 ms, "kommunen" (15 %) 8 ms, was 36 (probed in vain, then a bitmap of 73,000), "cannabis" (4 %)
    12 ms, was 23 (probed in vain); the slowest of 16 words 19 ms ("forebygging", 10 %, its sample
    1 in 13). With a filter the probe always comes first: behind the filter's fence the index reads
    every match, and a filter's candidates are often fewer than the probe reads. A probe of 16,000
    rather than 5,000 candidates settles more of them: "kommunen" in the municipal branches 40 ms
    (was 204, the index behind the fence), "kommunen" on one topic there 112 (was 422); a rare word
    in a large level pays for the longer probe in vain ("sprøyterom" in the counties 98, was 76)."""
    probed = COMMON_WORD_ONE_IN * MAX_RANKED
    head, head_params = (
        candidates.order_by("pk").values("pk", "source_id", "order", "search_vector")[:probed]
    ).query.sql_with_params()
    indexed, indexed_params = _first_matches(candidates, filtered=filtered).query.sql_with_params()
    if filtered:
        probing, probing_params = "SELECT true AS yes", []
    else:  # the sample: how many of the first candidates match
        probing = (
            "SELECT n < %s OR hits * %s > n AS yes FROM (SELECT count(*) AS n, count(*) FILTER"
            f" (WHERE s.search_vector @@ {_QUERY}) AS hits"
            " FROM (SELECT search_vector FROM head LIMIT %s) AS s) AS sample"
        )
        probing_params = [MAX_RANKED, PROBED_IF_ONE_IN, MAX_RANKED]
    sql = (
        f"SELECT * FROM (WITH head AS MATERIALIZED ({head}),"
        f' probe AS MATERIALIZED (SELECT h.pk, h.source_id, h."order", ts_rank(h.search_vector, {_QUERY})'
        f" AS rank FROM head AS h WHERE h.search_vector @@ {_QUERY} LIMIT %s),"
        f" probing AS MATERIALIZED ({probing})"
        " SELECT * FROM probe WHERE CASE WHEN (SELECT yes FROM probing)"
        " THEN (SELECT count(*) FROM probe) > %s OR (SELECT count(*) FROM head) < %s ELSE false END"
        f" UNION ALL (SELECT * FROM ({indexed}) AS i WHERE CASE WHEN (SELECT yes FROM probing)"
        " THEN (SELECT count(*) FROM probe) <= %s AND (SELECT count(*) FROM head) >= %s ELSE true END)) AS f"
    )
    params = [*head_params, MAX_RANKED + 1, *probing_params, MAX_RANKED, probed]
    return sql, [*params, *indexed_params, MAX_RANKED, probed]


class _Matches(Func):
    """``search_vector @@ (SELECT query)``: the match, with the query out of the planner's sight.

    PostgreSQL estimates a constant tsquery lexeme by lexeme and floors each unknown one at 0.5 % of
    rows; a word widened to ~20 OR-ed forms and prefixes is so expected to match 5-9 % of statements
    and a sequential scan looks cheaper than the GIN index, whatever the data (issue 8). Behind a
    scalar subquery (an InitPlan, computed once) the planner uses its generic 0.5 % for ``@@``, the
    right order of size for a search, and the GIN index serves it at any size. The rank and the
    headline still see the constant query."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, vector, query):
        super().__init__(
            vector, Func(query, template="(SELECT %(expressions)s)", output_field=SearchQueryField())
        )


# --- SQLite: its FTS5 index (migration 0008) ----------------------------------------------------

FTS_TABLE = "positions_statement_fts"


def _fts_string(word: str) -> str:
    """A quoted FTS5 string: a double quote inside is doubled, nothing else is special."""
    return '"' + word.replace('"', '""') + '"'


def _as_indexed(words) -> list[str]:
    """``words`` as the tokenizer folds them (``remove_diacritics 2``: å = a, é = e; ø and æ stay),
    without repeats, sorted: "behåndl"* and "behandl"* are one prefix to FTS5, and each prefix
    costs a merge of every word that starts with it (at national size, ~10 ms for a common root)."""
    return sorted(
        {
            "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
            for word in words
        }
    )


def _fts_clause(clause: Term | Phrase) -> str:
    if isinstance(clause, Phrase):
        # Each word its root as a word start ("behandl"* + "tilbud"). A stop word inside a phrase
        # stands for any one word, as in phraseto_tsquery; FTS5 has no such wildcard, so the
        # parts between stop words must be NEAR each other (at most that many words apart).
        parts, part, gaps = [], [], 0
        for word in clause.words:
            if word in STOP_WORDS:
                gaps += 1
                if part:
                    parts.append(" + ".join(part))
                    part = []
            else:
                root = word_root(word)
                part.append(_fts_string(root) + "*" if len(root) >= MIN_ROOT else _fts_string(word))
        parts.append(" + ".join(part))
        return parts[0] if len(parts) == 1 else f"NEAR({' '.join(parts)}, {gaps})"
    return " OR ".join(
        [_fts_string(form) for form in _as_indexed(clause.forms)]
        + [_fts_string(prefix) + "*" for prefix in _widest(_as_indexed(clause.prefixes))]
    )


def _widest(prefixes: list[str]) -> list[str]:
    """The prefixes no other one of them starts: "forebyggj"* finds all "forebyggjand"* finds."""
    return [p for p in prefixes if not any(p != other and p.startswith(other) for other in prefixes)]


def fts_match(clauses: list[Term | Phrase]) -> str:
    """The FTS5 MATCH expression of a parsed query: each clause its forms OR-ed (prefixes with
    ``*``), the clauses AND-ed, the excluded ones taken away with NOT."""
    expression = " AND ".join(f"({_fts_clause(clause)})" for clause in clauses if not clause.negated)
    for clause in clauses:
        if clause.negated:
            expression = f"({expression}) NOT ({_fts_clause(clause)})"
    return expression


def _own_words_match(clauses) -> str:
    """Any query word as typed (or spelt with or without ø, å, æ): texts that use the query's own
    words come before texts found only through a variant or synonym (bm25 alone prefers the
    rarer word, whichever it is)."""
    words = _as_indexed(
        spelling
        for clause in clauses
        if isinstance(clause, Term) and not clause.negated
        for spelling in spellings(clause.word)
    )
    words += [word for clause in clauses if isinstance(clause, Phrase) for word in clause.words]
    return " OR ".join(_fts_string(word) for word in words)


def _candidate_sql(candidates) -> tuple[str, tuple]:
    """The filtered statements as SQL with columns pk, source_id, order: joined to the index,
    SQLite flattens it, so the filters are checked only for the statements that match."""
    return candidates.order_by().values("pk", "source_id", "order").query.sql_with_params()


def _forms_match(clauses) -> str:
    """The query's words in their whole-word forms (variants, synonyms, spellings), no prefixes:
    what bm25 is computed on. With a root's prefix, FTS5 merges the lists of every word that starts
    with it (a common root at national size: 140,000 rows, about 12 ms) once for the match and once
    more for bm25's weights; whole words are read lazily, only as far as the ranked rows."""
    parts = []
    for clause in clauses:
        if clause.negated:
            continue
        if isinstance(clause, Phrase):
            parts.append(" + ".join(_fts_string(word) for word in clause.words))
        else:
            parts.append(" OR ".join(_fts_string(form) for form in _as_indexed(clause.forms)))
    return " AND ".join(f"({part})" for part in parts)


def _found_and_scored(cursor, candidates, clauses) -> tuple[list[tuple[int, int, int]], dict[int, float]]:
    """Two queries: (id, source, order) of the first ``MAX_RANKED + 1`` matches in the index's order,
    filters joined, and the scores of those that have a whole form of the words: ``bm25()`` of the
    query's whole-word forms (``_forms_match``), plus 1 for a text that has a query word as typed
    (``_own_words_match``).

    A root's prefix (``"behandl"*``) makes FTS5 merge the lists of every word that starts with it
    before it returns the first row: 15-20 ms for a common root at national size, whatever the
    limit; whole words are read lazily, only as far as the limit (~1 ms). So a query of words (no
    phrase) is first matched on its words' whole forms, variants and synonyms included, the excluded
    words as in the whole query, with their bm25:
    - more than ``MAX_RANKED`` of them (a common word): they are the first matches ranked (each one
      matches the whole query too, and a text that only shares a root would rank after them all);
      the second query reads which of them have a word as typed;
    - fewer: those are every text with a whole form, scored; the second query finds the first
      matches of the whole query, with which of them have a word as typed.
    A phrase is matched on the whole query, then scored, as before."""
    inner, params = _candidate_sql(candidates)
    match = (
        f'SELECT c.pk, c.source_id, c."order"{{extra}} FROM {FTS_TABLE} JOIN ({inner}) AS c'
        f" ON c.pk = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s ORDER BY {FTS_TABLE}.rowid LIMIT %s"
    )
    typed_in = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s"
    own_words = _own_words_match(clauses)
    if not all(isinstance(clause, Term) and (clause.forms or clause.negated) for clause in clauses):
        cursor.execute(match.format(extra=""), [*params, fts_match(clauses), MAX_RANKED + 1])
        found = cursor.fetchall()
        if not found:
            return found, {}
        first, last = found[0][0], found[min(len(found), MAX_RANKED) - 1][0]
        cursor.execute(
            f"SELECT rowid, rowid IN ({typed_in}), bm25({FTS_TABLE}) FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s",
            [own_words, first, last, _forms_match(clauses), first, last],
        )
        return found, {pk: _score(typed, bm25) for pk, typed, bm25 in cursor.fetchall()}
    whole_forms = _forms_match(clauses)
    for clause in clauses:
        if clause.negated:
            whole_forms = f"({whole_forms}) NOT ({_fts_clause(clause)})"
    cursor.execute(match.format(extra=f", bm25({FTS_TABLE})"), [*params, whole_forms, MAX_RANKED + 1])
    with_forms = cursor.fetchall()
    if len(with_forms) > MAX_RANKED:
        found = [row[:3] for row in with_forms]
        cursor.execute(typed_in, [own_words, with_forms[0][0], with_forms[MAX_RANKED - 1][0]])
        typed = {pk for (pk,) in cursor.fetchall()}
    else:
        first, last = (with_forms[0][0], with_forms[-1][0]) if with_forms else (1, 0)
        cursor.execute(
            match.format(extra=f", {FTS_TABLE}.rowid IN ({typed_in})"),
            [own_words, first, last, *params, fts_match(clauses), MAX_RANKED + 1],
        )
        rows = cursor.fetchall()
        found = [row[:3] for row in rows]
        typed = {row[0] for row in rows if row[3]}
    return found, {pk: _score(pk in typed, bm25) for pk, _source, _order, bm25 in with_forms}


def _score(typed: bool, bm25: float) -> float:
    """1 for a text with a query word as typed, plus bm25 (negative, lower is better) in 0.5..1."""
    return typed + 0.5 + -bm25 / (1 - bm25) / 2


def _search_sqlite(candidates, clauses, limit, offset) -> SearchPage:
    """Three queries, and one for the page's topics:

    1. and 2. the first ``MAX_RANKED + 1`` matches in the index's order (statement id), filters
       joined, and their scores (``_found_and_scored``);
    3. the page's statements.

    Rank: 1 if the text has a query word as typed, plus bm25 mapped into 0.5..1 (bm25() is
    negative, lower is better); a text found only through a root (``"behandl"*``) has no bm25 of the
    forms and gets 0.25: after those that have a form of the word, as typed ones first."""
    with connection.cursor() as cursor:
        found, scores = _found_and_scored(cursor, candidates, clauses)
    page = SearchPage(hits=[], total=min(len(found), MAX_RANKED), more=len(found) > MAX_RANKED)
    if offset >= page.total:
        return page
    found = found[:MAX_RANKED]
    ranked = sorted(found, key=lambda row: (-scores.get(row[0], 0.25), row[1], row[2], row[0]))
    shown = ranked[offset : offset + limit]
    statements = _for_display(Statement.objects.all()).in_bulk([pk for pk, _, _ in shown])
    # Highlighted in Python, on this page's rows only, with the same word tests as the fallback.
    matchers = [_Matcher.for_clause(clause) for clause in clauses if not clause.negated]
    for pk, _, _ in shown:
        text = statements[pk].text
        words = [(w.start(), w.end(), fold(w.group())) for w in _WORD.finditer(text)]
        spans = [span for matcher in matchers for span in matcher.match(words)[1]]
        page.hits.append(
            SearchHit(
                statement=statements[pk],
                rank=float(scores.get(pk, 0.25)),
                snippet=_fallback_snippet(text, spans),
            )
        )
    return page


# --- anything else: matched in Python --------------------------------------------------------


def _search_fallback(candidates, clauses, limit) -> list[SearchHit]:
    matchers = [_Matcher.for_clause(clause) for clause in clauses]
    scored: list[tuple[float, int, int, list[tuple[int, int]]]] = []
    for position, (pk, text) in enumerate(
        candidates.order_by("source_id", "order", "pk").values_list("pk", "text")
    ):
        lowered = fold(text)
        words = None  # split only once some clause may match
        score = 0.0
        spans: list[tuple[int, int]] = []
        for matcher in matchers:
            clause_score, clause_spans = 0.0, []
            if matcher.may_match(lowered):
                if words is None:
                    words = [(w.start(), w.end(), fold(w.group())) for w in _WORD.finditer(text)]
                clause_score, clause_spans = matcher.match(words)
            if matcher.negated == bool(clause_spans):
                break  # an excluded clause matched, or a wanted one did not
            score += clause_score
            spans += clause_spans
        else:
            scored.append((score, position, pk, spans))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[:limit]
    statements = _for_display(Statement.objects.all()).in_bulk([pk for _, _, pk, _ in best])
    return [
        SearchHit(statement=statements[pk], rank=score, snippet=_fallback_snippet(statements[pk].text, spans))
        for score, _, pk, spans in best
    ]


# Statement texts repeat their words; the root of each is worked out once per process.
_root = lru_cache(maxsize=1 << 16)(word_root)


@dataclass(frozen=True)
class _WordTest:
    """A text word matches when it, or its root, is one of ``forms``, or starts with a prefix."""

    forms: frozenset[str]
    prefixes: tuple[str, ...]

    def __call__(self, word: str) -> bool:
        return word in self.forms or _root(word) in self.forms or word.startswith(self.prefixes)


@dataclass(frozen=True)
class _Matcher:
    """One clause made ready for every candidate text: its word tests built once per search, and
    a pattern of every string a matching word must contain, to skip texts that cannot match
    without splitting them into words (most texts, for most queries)."""

    clause: Term | Phrase
    tests: tuple[_WordTest | None, ...]  # Term: one test; Phrase: one per word, None = any word
    needles: re.Pattern

    @classmethod
    def for_clause(cls, clause: Term | Phrase) -> "_Matcher":
        # Compared folded, as the text's words are.
        if isinstance(clause, Term):
            folded = {fold(form) for form in clause.forms}
            forms = frozenset(folded | {word_root(form) for form in folded})
            tests = (_WordTest(forms, tuple(sorted({fold(prefix) for prefix in clause.prefixes}))),)
        else:
            # As phraseto_tsquery: a stop word inside a phrase stands for any one word.
            tests = tuple(
                None
                if word in STOP_WORDS
                else _WordTest(
                    frozenset({fold(word), word_root(fold(word))}),
                    (root,) if len(root := word_root(fold(word))) >= MIN_ROOT else (),
                )
                for word in clause.words
            )
        # A matching word contains one of its forms or prefixes (a root is the start of its word).
        test = next(test for test in tests if test is not None)
        needles = sorted(test.forms | set(test.prefixes), key=len)
        return cls(clause, tests, re.compile("|".join(map(re.escape, needles))))

    @property
    def negated(self) -> bool:
        return self.clause.negated

    def may_match(self, lowered_text: str) -> bool:
        return self.needles.search(lowered_text) is not None

    def match(self, words) -> tuple[float, list[tuple[int, int]]]:
        """Score and (start, end) spans of the text words matching the clause."""
        if isinstance(self.clause, Term):
            [test] = self.tests
            own_root = _root(fold(self.clause.word))
            spans = []
            score = 0.0
            for start, end, word in words:
                if test(word):
                    spans.append((start, end))
                    score += 1.0 if _root(word) == own_root else 0.75
            return score, spans
        spans = []
        for i in range(len(words) - len(self.tests) + 1):
            window = list(zip(words[i : i + len(self.tests)], self.tests, strict=True))
            if all(test is None or test(word) for (_, _, word), test in window):
                spans += [(start, end) for (start, end, _), test in window if test is not None]
        return float(len(spans)), spans


def _fallback_snippet(text: str, spans: list[tuple[int, int]]) -> str:
    """The text escaped, matched words marked; long texts cut to a window around the first match."""
    spans = sorted(set(spans))
    words = list(_WORD.finditer(text))
    start, end = 0, len(text)
    before = after = ""
    if len(text) > SNIPPET_WHOLE_TEXT_UP_TO and spans:
        first = next(i for i, word in enumerate(words) if word.start() >= spans[0][0])
        stop = min(len(words), max(0, first - 10) + SNIPPET_MAX_WORDS)
        begin = max(0, stop - SNIPPET_MAX_WORDS)
        if begin > 0:
            start, before = words[begin].start(), "… "
        if stop < len(words):
            end, after = words[stop - 1].end(), " …"
    pieces = [before]
    cursor = start
    for span_start, span_end in spans:
        if span_start >= cursor and span_end <= end:
            pieces += [
                escape(text[cursor:span_start]),
                "<mark>",
                escape(text[span_start:span_end]),
                "</mark>",
            ]
            cursor = span_end
    pieces += [escape(text[cursor:end]), after]
    return "".join(pieces).replace(_MARK_START, "").replace(_MARK_END, "")  # as _mark does
