"""Writes: one function per editorial use case (import, curate, set a stance, publish).

Every function is keyword-only, atomic and validates with ``full_clean()`` before saving, so the
admin, management commands and tests all go through the same rules. Reads live in querysets.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parties.models import Organisation
from ruspolitikk.history import ensure_history_baseline

from .models import Source, Stance, Statement, Status, Topic
from .text import sha256

# Shown to editors when a stance that is not "none" has no evidence (the fixture build's rule).
EVIDENCE_REQUIRED = gettext_lazy("Et standpunkt som ikke er «ikke uttalt» må ha minst ett sitat som belegg.")


@dataclass(frozen=True)
class DraftStatement:
    """A statement the parser proposes for a new source, before anything is saved."""

    start: int
    end: int
    kind: str
    text: str
    topic_slugs: tuple[str, ...]


def normalise_newlines(text: str) -> str:
    """Browsers send textarea content with CRLF; files may carry a BOM. Keep the words verbatim."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def existing_source_for_text(text: str) -> Source | None:
    return Source.objects.filter(text_sha256=sha256(normalise_newlines(text))).first()


def draft_statements(*, text: str, topics: Iterable[Topic] | None = None) -> list[DraftStatement]:
    """Split ``text`` with the fixture build's parser and suggest topics with its lexicon."""
    from .parsing import parse_statements
    from .tagging import tag_topics

    topics = list(Topic.objects.all() if topics is None else topics)
    return [
        DraftStatement(
            start=parsed.start,
            end=parsed.end,
            kind=parsed.kind,
            text=parsed.text,
            topic_slugs=tuple(tag_topics(parsed.text, topics)),
        )
        for parsed in parse_statements(text)
    ]


def _unique_source_slug(organisation: Organisation, title: str) -> str:
    base = slugify(f"{organisation.slug} {title}")[:70].strip("-") or organisation.slug
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def import_source(
    *,
    organisation: Organisation,
    title: str,
    kind: str,
    language: str,
    date_precision: str,
    date_start: datetime.date | None,
    date_end: datetime.date | None,
    url: str,
    text: str,
    user,
    note: str = "",
    date_note: str = "",
) -> Source:
    """Save a new source and its parsed draft statements, or return the source already holding ``text``.

    Statements are attributed to the source's organisation, certain, draft, with suggested topics.
    Idempotent on the text's checksum: importing the same text again creates nothing.
    """
    text = normalise_newlines(text)
    if existing := existing_source_for_text(text):
        return existing
    source = Source(
        slug=_unique_source_slug(organisation, title),
        organisation=organisation,
        title=title,
        kind=kind,
        language=language,
        date_precision=date_precision,
        date_start=date_start,
        date_end=date_end,
        url=url,
        text=text,
        note=note,
        date_note=date_note,
    )
    source.text_sha256 = sha256(text)
    source._history_user = user
    source.full_clean()
    source.save()

    topics_by_slug = {topic.slug: topic for topic in Topic.objects.all()}
    for order, draft in enumerate(draft_statements(text=text, topics=topics_by_slug.values()), start=1):
        statement = Statement(
            source=source,
            organisation=organisation,
            text=draft.text,
            start=draft.start,
            end=draft.end,
            order=order,
            kind=draft.kind,
            confidence=Statement.Confidence.CERTAIN,
            status=Status.DRAFT,
        )
        statement._history_user = user
        statement.full_clean()
        statement.save()
        statement.topics.set([topics_by_slug[slug] for slug in draft.topic_slugs])
    return source


# Who published, and who made the history's first entry, for rows that came from the data files
# (fixtures/*.toml through the build and load_data) rather than from an editor.
LOADED_FROM_DATA_FILES = gettext_lazy("Innlastet fra datafilene")


def stamp_loaded_publication(*, at: datetime.datetime) -> int:
    """Give published statements and stances loaded from the data files their publication time.

    The data files carry no publication stamp, and loaddata leaves ``published_at`` empty, so
    the admin showed "Publisert: -". They became public on this site when they were loaded:
    ``at``. ``published_by`` stays empty (no editor published them; the admin says
    "Innlastet fra datafilene"). Rows an editor published keep their own stamp.
    """
    stamped = 0
    for model in (Statement, Stance):
        stamped += model.objects.filter(status=Status.PUBLISHED, published_at__isnull=True).update(
            published_at=at
        )
    return stamped


def span_error(source_text: str, start: int, end: int, text: str) -> str | None:
    """Why ``text`` is not exactly ``source_text[start:end]``, or None when it is.

    Names the first position that differs and the source's text there, so an editor can fix it.
    """
    if not 0 <= start < end <= len(source_text):
        return _("Start og slutt må ligge innenfor kildeteksten (0–%(length)s) med start før slutt.") % {
            "length": len(source_text)
        }
    expected = source_text[start:end]
    if text == expected:
        return None
    position = next(
        (i for i, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b),
        min(len(text), len(expected)),
    )
    return _(
        "Teksten er ikke et ordrett utdrag av kilden: første avvik ved tegn %(position)s "
        "(posisjon %(offset)s i kilden). Kilden har «%(expected)s», teksten har «%(actual)s»."
    ) % {
        "position": position + 1,
        "offset": start + position,
        "expected": expected[position : position + 30],
        "actual": text[position : position + 30],
    }


def resolve_span(
    *,
    source_text: str,
    start: int,
    end: int,
    text: str,
    old_start: int | None,
    old_end: int | None,
    old_text: str | None,
) -> tuple[int, int, str]:
    """Work out a statement's span from what the editor changed.

    Changed only the offsets: the text follows them. Changed only the text: it is looked up in
    the source (nearest match to the old position). Changed both: they must agree exactly.
    """
    offsets_changed = (start, end) != (old_start, old_end)
    text_changed = text != old_text
    if offsets_changed and not text_changed and 0 <= start < end <= len(source_text):
        return start, end, source_text[start:end]
    if text_changed and not offsets_changed and text:
        matches = []
        position = source_text.find(text)
        while position != -1:
            matches.append(position)
            position = source_text.find(text, position + 1)
        if matches:
            best = min(matches, key=lambda p: abs(p - (old_start or 0)))
            return best, best + len(text), text
    if error := span_error(source_text, start, end, text):
        raise ValidationError({"text": error})
    return start, end, text


@transaction.atomic
def update_statement_span(*, statement: Statement, start: int, end: int, text: str, user) -> Statement:
    """Move a statement's boundaries; its text must stay an exact span of the source's text."""
    if error := span_error(statement.source.text, start, end, text):
        raise ValidationError({"text": error})
    statement.start, statement.end, statement.text = start, end, text
    return save_statement(statement=statement, user=user)


def check_statement(statement: Statement) -> None:
    errors = {}
    if statement.confidence == Statement.Confidence.UNCERTAIN and not statement.attribution_note.strip():
        errors["attribution_note"] = _("En usikker attribusjon må ha en merknad som forklarer hvorfor.")
    if statement.source_id and (
        error := span_error(statement.source.text, statement.start, statement.end, statement.text)
    ):
        errors["text"] = error
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_statement(*, statement: Statement, user, topics: Iterable[Topic] | None = None) -> Statement:
    """Save an edited statement (span, attribution, topics) after checking every rule."""
    check_statement(statement)
    if statement.order is None and statement.source_id:
        last = statement.source.statements.order_by("-order").values_list("order", flat=True).first()
        statement.order = (last or 0) + 1
    statement.full_clean()
    ensure_history_baseline(statement)
    statement._history_user = user
    statement.save()
    if topics is not None:
        statement.topics.set(topics)
    return statement


def check_stance_evidence(
    *, organisation: Organisation | None, value: str, evidence: Iterable[Statement]
) -> None:
    """The fixture build's rule: a non-``none`` stance cites ≥1 statement of its own organisation,
    none of them a heading ("Rus", "Rødt vil:" say what follows, not what the party wants); a
    ``none`` stance cites nothing."""
    evidence = list(evidence)
    if value == Stance.Value.NONE:
        if evidence:
            raise ValidationError(
                {"evidence": _("Et standpunkt «ikke uttalt» kan ikke ha belegg: fjern sitatene.")}
            )
        return
    if not evidence:
        raise ValidationError({"evidence": EVIDENCE_REQUIRED})
    if headings := [statement for statement in evidence if statement.kind == Statement.Kind.HEADING]:
        raise ValidationError(
            {
                "evidence": _(
                    "En overskrift er aldri belegg: velg uttalelsen under den. Overskrifter: %(list)s"
                )
                % {"list": "; ".join(f"«{s}»" for s in headings)}
            }
        )
    if organisation is not None:
        foreign = [statement for statement in evidence if statement.organisation_id != organisation.pk]
        if foreign:
            raise ValidationError(
                {
                    "evidence": _(
                        "Belegget må være uttalelser fra %(organisation)s. Disse er fra andre: %(list)s"
                    )
                    % {
                        "organisation": organisation,
                        "list": "; ".join(f"«{s}» ({s.organisation})" for s in foreign),
                    }
                }
            )


@transaction.atomic
def save_stance(*, stance: Stance, evidence: Iterable[Statement], user) -> Stance:
    """Save a stance with its evidence, refusing what the fixture build would refuse."""
    evidence = list(evidence)
    check_stance_evidence(organisation=stance.organisation, value=stance.value, evidence=evidence)
    stance.full_clean()
    ensure_history_baseline(stance)
    stance._history_user = user
    stance.save()
    stance.evidence.set(evidence)
    return stance


class PublishPermissionDenied(PermissionError):
    """The user may edit but not publish (a Bidragsyter)."""


def _set_status(objects, *, status: str, user, permission: str) -> int:
    if not user.has_perm(permission):
        raise PublishPermissionDenied(_("Du har ikke tilgang til å publisere."))
    changed = 0
    now = timezone.now()
    for obj in objects:
        if obj.status == status:
            continue
        ensure_history_baseline(obj)
        obj.status = status
        obj.published_at = now if status == Status.PUBLISHED else None
        obj.published_by = user if status == Status.PUBLISHED else None
        obj._history_user = user
        fields = ["status", "published_at", "published_by"]
        if isinstance(obj, Stance):
            fields.append("updated_at")  # Stance.save() stamps it
        obj.save(update_fields=fields)
        changed += 1
    return changed


@transaction.atomic
def publish_stances(*, stances: Iterable[Stance], user) -> int:
    """Publish stances, recording who and when. Each must still satisfy the evidence rule."""
    stances = list(stances)
    for stance in stances:
        try:
            check_stance_evidence(
                organisation=stance.organisation, value=stance.value, evidence=stance.evidence.all()
            )
        except ValidationError as error:
            raise ValidationError(f"{stance}: {' '.join(error.messages)}") from error
    changed = _set_status(stances, status=Status.PUBLISHED, user=user, permission="positions.publish_stance")
    # A published stance shows its quotes: publish the evidence with it.
    evidence = Statement.objects.filter(stances__in=stances, status=Status.DRAFT).distinct()
    if evidence.exists():
        publish_statements(statements=evidence, user=user)
    return changed


@transaction.atomic
def unpublish_stances(*, stances: Iterable[Stance], user) -> int:
    return _set_status(stances, status=Status.DRAFT, user=user, permission="positions.publish_stance")


@transaction.atomic
def publish_statements(*, statements: Iterable[Statement], user) -> int:
    """Publish statements, recording who and when."""
    return _set_status(
        statements, status=Status.PUBLISHED, user=user, permission="positions.publish_statement"
    )


@transaction.atomic
def unpublish_statements(*, statements: Iterable[Statement], user) -> int:
    """Take statements back to draft, unless a published stance cites them."""
    statements = list(statements)
    cited = Stance.objects.published().filter(evidence__in=statements).distinct()
    if cited.exists():
        raise ValidationError(
            _("Uttalelsen er belegg for publiserte standpunkter: %(list)s. Avpubliser dem først.")
            % {"list": "; ".join(str(stance) for stance in cited)}
        )
    return _set_status(statements, status=Status.DRAFT, user=user, permission="positions.publish_statement")


EDITOR = "Redaktør"
CONTRIBUTOR = "Bidragsyter"
_OUR_MODELS = {
    "parties": ["party", "organisation"],
    "positions": ["topic", "source", "statement", "stance", "revision"],
}
_DRAFT_MODELS = {"positions": ["source", "statement", "stance"]}


@transaction.atomic
def create_editor_roles() -> dict[str, int]:
    """Create or refresh the two editorial groups; returns the number of permissions each has.

    Redaktør: everything on our models, and publishing. Bidragsyter: reads the reference data
    (parties, organisations, topics) and adds and edits sources, statements and stances, but
    cannot publish; the admin also keeps published items read-only for them. Neither manages
    users: that is for superusers.
    """
    from django.contrib.auth.models import Group, Permission

    def perms(models: dict[str, list[str]], actions: Iterable[str]) -> list[Permission]:
        codenames = [
            (app, f"{action}_{model}")
            for app, names in models.items()
            for model in names
            for action in actions
        ]
        found = []
        for app, codename in codenames:
            found.append(Permission.objects.get(content_type__app_label=app, codename=codename))
        return found

    publish = perms({"positions": ["stance", "statement"]}, ["publish"])
    editor = perms(_OUR_MODELS, ["add", "change", "delete", "view"]) + publish
    contributor = perms(_OUR_MODELS, ["view"]) + perms(_DRAFT_MODELS, ["add", "change"])
    contributor += perms({"positions": ["statement", "stance"]}, ["delete"])

    counts = {}
    for name, permissions in [(EDITOR, editor), (CONTRIBUTOR, contributor)]:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        counts[name] = len(set(permissions))
    return counts
