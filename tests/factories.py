"""Small factories for edge cases; realistic data comes from the fixtures.

Plain keyword-only functions (no extra dependency). Each creates valid rows with sensible
defaults; pass what the test is about. Shared by every test package: add, don't rewrite.
"""

import datetime
import itertools

from parties.models import Organisation, Party
from positions.models import Source, Stance, Statement, Topic

_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


# --- site engineer's factories ------------------------------------------------------------


def make_party(*, slug=None, name=None, short_name=None, colour="#336699", order=None) -> Party:
    n = _n()
    slug = slug or f"parti{n}"
    return Party.objects.create(
        slug=slug,
        name=name or f"Parti {slug}",
        short_name=short_name or slug.upper()[:20],
        colour=colour,
        order=order if order is not None else n,
    )


def make_organisation(
    *, party=None, slug=None, name=None, level="national", region="", order=0
) -> Organisation:
    party = party or make_party(slug=slug if level == "national" else None)
    slug = slug or (party.slug if level == "national" else f"{party.slug}-lag{_n()}")
    return Organisation.objects.create(
        party=party,
        slug=slug,
        name=name or (party.name if level == "national" else f"{party.name} {slug}"),
        level=level,
        region=region,
        order=order,
    )


def make_topic(*, slug=None, name=None, order=None, lexicon="x") -> Topic:
    n = _n()
    slug = slug or f"tema{n}"
    return Topic.objects.create(
        slug=slug,
        name=name or f"Tema {slug}",
        short_name=(name or slug)[:30],
        question=f"Bør {slug}?",
        explainer=f"Forklaring av {slug}.",
        order=order if order is not None else n,
        lexicon=lexicon,
    )


def make_source(
    *,
    organisation=None,
    slug=None,
    title=None,
    text=None,
    kind="programme",
    language="nb",
    date_precision="period",
    date_start=datetime.date(2021, 1, 1),
    date_end=datetime.date(2025, 12, 31),
) -> Source:
    organisation = organisation or make_organisation()
    n = _n()
    return Source.objects.create(
        slug=slug or f"kilde{n}",
        organisation=organisation,
        title=title or f"Program {n}",
        kind=kind,
        language=language,
        date_precision=date_precision,
        date_start=date_start,
        date_end=date_end,
        text=text if text is not None else f"Kildetekst nummer {n}.",
    )


def make_statement(
    *,
    source=None,
    organisation=None,
    text=None,
    topics=(),
    status="published",
    confidence="certain",
    attribution_note="",
    kind="sentence",
) -> Statement:
    """Appends ``text`` to the source's text (keeping the span invariant) and returns its statement."""
    source = source or make_source(organisation=organisation)
    text = text or f"Uttalelse {_n()}."
    prefix = source.text + (" " if source.text else "")
    start = len(prefix)
    source.text = prefix + text
    source.save()
    statement = Statement.objects.create(
        source=source,
        organisation=organisation or source.organisation,
        text=text,
        start=start,
        end=start + len(text),
        order=source.statements.count() + 1,
        kind=kind,
        status=status,
        confidence=confidence,
        attribution_note=attribution_note or ("Usikker eier." if confidence == "uncertain" else ""),
    )
    statement.topics.set(topics)
    return statement


def make_stance(
    *, organisation, topic, value="for", summary=None, evidence=None, status="published"
) -> Stance:
    """With ``evidence=None`` a non-none stance gets one published quote from a new source."""
    if evidence is None:
        evidence = (
            []
            if value == "none"
            else [
                make_statement(organisation=organisation, text=f"Vi er {value} {topic.slug}.", topics=[topic])
            ]
        )
    stance = Stance.objects.create(
        organisation=organisation,
        topic=topic,
        value=value,
        summary=summary if summary is not None else f"{organisation.name} er {value} {topic.slug}.",
        status=status,
    )
    stance.evidence.set(evidence)
    return stance


def make_grid_world(n_orgs: int, n_topics: int):
    """n_orgs national organisations × n_topics topics, every cell a published stance, values cycling
    through for, partly, against, none: for query-count tests at two sizes."""
    topics = [make_topic() for _ in range(n_topics)]
    orgs = [make_organisation() for _ in range(n_orgs)]
    for i, org in enumerate(orgs):
        for j, topic in enumerate(topics):
            make_stance(
                organisation=org, topic=topic, value=["for", "partly", "against", "none"][(i + j) % 4]
            )
    return orgs, topics
