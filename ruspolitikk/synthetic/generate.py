"""Fill the database with the synthetic data set: the guard, the bulk write and what was made.

The rule for what may be replaced (without ``replace=True``): only what can be rebuilt by a
command, i.e. nothing, the seed fixtures (``manage.py load_data``) or an earlier synthetic set
(this module). Real editorial data is anything else: a source that is neither from the seed
files nor synthetic (an editor's import), a statement or stance an editor published, or any
history row written by a user (an editor's change).

Rows are written with COPY on PostgreSQL and ``bulk_create`` in batches elsewhere, with primary
keys chosen here so the many-to-many rows can be written without reading anything back. The
search index needs nothing extra: on PostgreSQL the ``search_vector`` trigger (positions
migration 0002) fires for every row of a COPY as for an INSERT, and so do the span triggers
(0005) on both databases; any index kept by triggers on SQLite is kept the same way.
"""

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from positions.tagging import compile_lexicon
from positions.text import sha256
from ruspolitikk.db.statistics import refresh_statistics

from . import shape, text

SYNTHETIC_NOTE = "Syntetisk tekst laget av manage.py generate_synthetic"
PUBLISHED_AT = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
STANCE_WEIGHTS = {"for": 35, "partly": 20, "against": 20, "none": 25}
BATCH = 5000
PUBLIC_APPS = ("parties", "positions")


class EditorialDataPresent(Exception):
    """The database holds data an editor made; ``reasons`` says which."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass
class Result:
    counts: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    values: Counter = field(default_factory=Counter)
    replaced: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def editorial_data() -> list[str]:
    """Why the database may not be replaced without being told to; empty when it may."""
    from positions.models import Source, Stance, Statement

    reasons = []
    foreign = Source.objects.filter(seed_file="").exclude(note__startswith=SYNTHETIC_NOTE)
    if n := foreign.count():
        reasons.append(f"{n} sources neither from the seed files nor synthetic (imported by an editor)")
    for model in (Statement, Stance):
        if n := model.objects.filter(published_by__isnull=False).count():
            reasons.append(f"{n} {model._meta.verbose_name_plural} published by an editor")
    for model in _history_models():
        if "history_user" not in {f.name for f in model._meta.fields}:
            continue  # a many-to-many history row: its parent row says who
        if n := model.objects.filter(history_user__isnull=False).count():
            reasons.append(f"{n} changes by an editor in {model._meta.db_table}")
    return reasons


def _history_models():
    return [
        model
        for app in PUBLIC_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if model.__name__.startswith("Historical")
    ]


def _public_models():
    return [m for app in PUBLIC_APPS for m in apps.get_app_config(app).get_models(include_auto_created=True)]


def _wipe() -> dict[str, int]:
    """Delete every row of the public data and its history; foreign keys are checked at commit."""
    deleted = {}
    for model in _public_models():
        queryset = model._base_manager.all()
        if count := queryset.count():
            deleted[model._meta.db_table] = count
            queryset._raw_delete(queryset.db)
    return deleted


def generate(
    *,
    seed: int = 1,
    organisations: int = 3000,
    topics: int = 30,
    statements: int = 500_000,
    replace: bool = False,
) -> Result:
    """Replace the public data with the synthetic set; refuse if it holds editorial data."""
    started = time.monotonic()
    result = Result()
    with transaction.atomic():
        if not replace and (reasons := editorial_data()):
            raise EditorialDataPresent(reasons)
        result.replaced = _wipe()
        _Writer(random.Random(seed), result).write(organisations, topics, statements)
        _reset_sequences()
        refresh_statistics(*PUBLIC_APPS)  # a search or grid plan without them can be far slower
        from ruspolitikk.pagecache import data_changed

        data_changed()
    result.seconds = time.monotonic() - started
    return result


def _reset_sequences() -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), _public_models())
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def _insert(model, rows: list) -> None:
    """COPY on PostgreSQL (row triggers fire as for INSERT), bulk INSERTs elsewhere."""
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(rows, batch_size=BATCH)
        return
    # every column, but a many-to-many row's key, which the database chooses
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and getattr(rows[0], f.attname) is None)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([getattr(row, f.attname) for f in fields])


class _Writer:
    def __init__(self, rng: random.Random, result: Result):
        from parties.models import Organisation, Party
        from positions.models import Source, Stance, Statement, Topic

        self.rng = rng
        self.result = result
        self.models = {
            "party": Party,
            "organisation": Organisation,
            "topic": Topic,
            "source": Source,
            "statement": Statement,
            "statement_topics": Statement.topics.through,
            "stance": Stance,
            "stance_evidence": Stance.evidence.through,
        }
        # Flushed in this order: a source before its statements (the span triggers read it).
        self.buffers: dict[str, list] = {name: [] for name in self.models}
        self.next_source = 1
        self.next_statement = 1

    def _add(self, table: str, /, **values) -> None:
        self.buffers[table].append(self.models[table](**values))
        self.result.counts[table] += 1

    def _flush(self) -> None:
        for name, rows in self.buffers.items():
            if rows:
                _insert(self.models[name], rows)
                rows.clear()

    def write(self, organisation_count: int, topic_count: int, statement_count: int) -> None:
        party_plans = shape.parties()
        for index, p in enumerate(party_plans):
            self._add(
                "party", id=p.pk, slug=p.slug, name=p.name, short_name=p.short_name, colour=p.colour,
                website=p.website, order=index,
            )  # fmt: skip
        topic_plans = text.topics(topic_count)
        self.lexicons = [(t.slug, compile_lexicon(tuple(t.patterns))) for t in topic_plans if t.patterns]
        self.topic_ids = {}
        for pk, t in enumerate(topic_plans, start=1):
            self.topic_ids[t.slug] = pk
            self._add(
                "topic", id=pk, slug=t.slug, name=t.name, short_name=t.short_name, question=t.question,
                explainer=t.explainer, order=pk, lexicon=t.lexicon,
            )  # fmt: skip
        organisation_plans = shape.organisations(organisation_count, party_plans)
        for o in organisation_plans:
            self._add(
                "organisation", id=o.pk, party_id=o.party.pk, name=o.name, slug=o.slug, level=o.level,
                region=o.region, order=o.order,
            )  # fmt: skip
            self.result.levels[o.level] += 1
        self._flush()
        base, extra = divmod(statement_count, len(organisation_plans))
        for index, o in enumerate(organisation_plans):
            self._organisation(o, topic_plans, base + (1 if index < extra else 0))
            if len(self.buffers["statement"]) >= BATCH:
                self._flush()
        self._flush()

    def _organisation(self, o: shape.OrganisationPlan, topic_plans, budget: int) -> None:
        rng = self.rng
        plans = shape.sources(o, rng)
        plans = plans[: max(1, min(len(plans), budget // 2))]
        sizes = [budget // len(plans) + (1 if i < budget % len(plans) else 0) for i in range(len(plans))]
        paragraphs = sum(size - 1 if size >= 2 else size for size in sizes)

        values = {
            t.slug: rng.choices(list(STANCE_WEIGHTS), list(STANCE_WEIGHTS.values()))[0] for t in topic_plans
        }
        stated = [t for t in topic_plans if values[t.slug] != "none"]
        for t in stated[paragraphs:]:
            values[t.slug] = "none"  # too few statements to say something on every topic
        stated = stated[:paragraphs]
        assignment = stated + [
            rng.choice(stated) if stated and rng.random() < 0.7 else None
            for _ in range(paragraphs - len(stated))
        ]
        rng.shuffle(assignment)

        evidence: dict[str, list[int]] = {t.slug: [] for t in stated}
        language = o.language if rng.random() > 0.05 else ("nb" if o.language == "nn" else "nn")
        for plan, size in zip(plans, sizes, strict=True):
            source_id = self.next_source
            self.next_source += 1
            parts: list[tuple[str, str, object]] = []  # (kind, text, topic or None)
            if size >= 2:
                parts.append(("heading", text.heading(rng, language), None))
            while len(parts) < size:
                topic = assignment.pop()
                sentences = [
                    text.seed_sentence(rng, language) for _ in range(rng.randint(0 if topic else 1, 2))
                ]
                if topic:
                    sentences.insert(0, text.claim(rng, language, values[topic.slug], o.name, topic))
                parts.append(
                    ("bullet" if topic and rng.random() < 0.3 else "paragraph", " ".join(sentences), topic)
                )
            body = f"{o.name}: {plan.title}\n\n"
            for order, (kind, part, topic) in enumerate(parts):
                start = len(body)
                body += part
                statement_id = self.next_statement
                self.next_statement += 1
                uncertain = topic is None and kind != "heading" and rng.random() < 0.1
                self._add(
                    "statement", id=statement_id, source_id=source_id, organisation_id=o.pk, text=part,
                    start=start, end=len(body), order=order, kind=kind,
                    confidence="uncertain" if uncertain else "certain",
                    attribution_note="Kan være en annen avsenders innledning." if uncertain else "",
                    status="published", published_at=PUBLISHED_AT,
                )  # fmt: skip
                # positions.tagging.tag_topics, with each lexicon compiled once
                tags = (
                    {slug for slug, lexicon in self.lexicons if lexicon.search(part)}
                    if kind != "heading"
                    else set()
                )
                if topic:
                    tags.add(topic.slug)
                    if len(evidence[topic.slug]) < 2:
                        evidence[topic.slug].append(statement_id)
                for slug in sorted(tags):
                    self._add("statement_topics", statement_id=statement_id, topic_id=self.topic_ids[slug])
                body += "\n\n"
            self._add(
                "source", id=source_id, slug=f"{o.slug}-{plan.key}", organisation_id=o.pk, title=plan.title,
                kind=plan.kind, language=language, date_precision=plan.date_precision,
                date_start=plan.date_start, date_end=plan.date_end, date_note=plan.date_note, text=body,
                text_sha256=sha256(body),
                note=f"{SYNTHETIC_NOTE}; ikke partiets egne ord.", created_at=PUBLISHED_AT,
            )  # fmt: skip
            self.result.languages[language] += 1
        for t in topic_plans:
            value = values[t.slug]
            stance_id = self.result.counts["stance"] + 1
            self._add(
                "stance", id=stance_id, organisation_id=o.pk, topic_id=self.topic_ids[t.slug], value=value,
                summary=text.summary(value, o.name, t),
                status="published", published_at=PUBLISHED_AT, updated_at=PUBLISHED_AT,
            )  # fmt: skip
            self.result.values[value] += 1
            for statement_id in evidence.get(t.slug, []):
                self._add("stance_evidence", stance_id=stance_id, statement_id=statement_id)
