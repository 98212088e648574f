"""A few thousand rows in bulk, for tests of pagination, streaming and query plans at more than seed size.

Not the national data set (``generate_synthetic`` makes that): just many national parties, each with
one source whose text is its statements run together (so every statement is an exact span, as the
database's triggers demand), a published stance per topic quoting its first statement, and statement
text of made-up words with a real drug-policy word now and then, so that searches find a little.
"""

import datetime
import itertools

from django.db import connection

from parties.models import Organisation, Party
from positions.models import Source, Stance, Statement, Topic
from positions.text import sha256
from ruspolitikk.pagecache import data_changed

VALUES = ["for", "partly", "against", "none"]
WORDS = [
    "behandling", "sprøyterom", "rusreform", "avkriminalisering", "kommunen", "brukerrom", "forebygging",
    "ungdom", "skole", "politiet", "helsetjenesten", "tilbud", "bolig", "straff", "hjelp", "rusomsorg",
    "legemiddelassistert", "heroinassistert", "nynorsk", "tenestene", "førebygging", "bustad",
]  # fmt: skip


SYLLABLES = ["ka", "lo", "mi", "ne", "su", "ta", "ve", "ri", "po", "du"]


def filler(n: int) -> str:
    """One of a thousand made-up words (kaloma, …): text that no search here looks for."""
    return "".join(SYLLABLES[(n // 10**k) % 10] for k in range(3)) + "r"


def statement_text(organisation: int, number: int) -> str:
    """Deterministic text: five made-up words, and in every third statement one word of ``WORDS``,
    so a search word is in about one statement in sixty, as a real word is in real programmes."""
    seed = organisation * 131 + number * 17
    words = [filler(seed * 7 + k * 101) for k in range(5)]
    if (organisation + number) % 3 == 0:
        words[2] = WORDS[(organisation + number * 5) % len(WORDS)]
    return f"Vi vil ha {words[0]} og {words[1]}, ikke {words[2]}; {words[3]} i {words[4]}."


def make_scale_world(*, organisations: int, topics: int = 2, statements_per_organisation: int = 1):
    """``organisations`` national parties × ``topics`` topics, in bulk; returns (orgs, topics).

    Stance of organisation i on topic j: ``VALUES[(i + j) % 4]``; a stated one quotes the
    organisation's first statement, which carries every topic."""
    parties = Party.objects.bulk_create(
        Party(slug=f"p{i:05d}", name=f"Parti {i:05d}", short_name=f"P{i}", colour="#336699", order=i)
        for i in range(organisations)
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(party=party, slug=party.slug, name=party.name, level="national", order=0)
        for party in parties
    )
    topic_rows = Topic.objects.bulk_create(
        Topic(
            slug=f"t{j}",
            name=f"Tema {j}",
            short_name=f"Tema {j}",
            question=f"Bør t{j}?",
            explainer="Forklaring.",
            order=j,
            lexicon="x",
        )
        for j in range(topics)
    )
    texts = {
        org.pk: [statement_text(i, n) for n in range(statements_per_organisation)]
        for i, org in enumerate(orgs)
    }
    sources = Source.objects.bulk_create(
        Source(
            slug=f"k{org.slug}",
            organisation=org,
            title=f"Program {org.name}",
            kind="programme",
            language="nb",
            date_precision="period",
            date_start=datetime.date(2021, 1, 1),
            date_end=datetime.date(2025, 12, 31),
            # The party's name after its statements: no two sources have the same text.
            text=" ".join([*texts[org.pk], f"({org.name})"]),
            text_sha256=sha256(" ".join([*texts[org.pk], f"({org.name})"])),
        )
        for org in orgs
    )
    statements = []
    for org, source in zip(orgs, sources, strict=True):
        position = 0
        for number, text in enumerate(texts[org.pk], 1):
            statements.append(
                Statement(
                    source=source,
                    organisation=org,
                    text=text,
                    start=position,
                    end=position + len(text),
                    order=number,
                    kind="sentence",
                    status="published",
                )
            )
            position += len(text) + 1
    statements = Statement.objects.bulk_create(statements, batch_size=500)
    first = {s.organisation_id: s for s in statements if s.order == 1}
    Statement.topics.through.objects.bulk_create(
        (
            Statement.topics.through(statement_id=s.pk, topic_id=topic.pk)
            for s, topic in itertools.product(statements, topic_rows)
        ),
        batch_size=1000,
    )
    stances = Stance.objects.bulk_create(
        (
            Stance(
                organisation=org,
                topic=topic,
                value=VALUES[(i + j) % 4],
                summary=f"{org.name} om {topic.name}.",
                status="published",
            )
            for (i, org), (j, topic) in itertools.product(enumerate(orgs), enumerate(topic_rows))
        ),
        batch_size=1000,
    )
    Stance.evidence.through.objects.bulk_create(
        (
            Stance.evidence.through(stance_id=stance.pk, statement_id=first[stance.organisation_id].pk)
            for stance in stances
            if stance.value != "none"
        ),
        batch_size=1000,
    )
    data_changed()  # bulk inserts send no signals
    return orgs, topic_rows


def vacuum_analyse() -> None:
    """PostgreSQL, for plan tests: what autovacuum does in production, on every table: statistics,
    and the visibility map an index-only scan needs. Every table, because statistics outlive a test
    (a committed test's rows are truncated, its statistics stay): a table analysed by an earlier
    test would be planned with that test's sizes."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
