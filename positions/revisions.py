"""Edits to published data as revisions: proposed, previewed, then published or discarded.

A change an editor makes in the admin to a published stance or statement is not written to it:
it is kept as a ``Revision`` (the form's cleaned values, field by field), so the public site, its
page cache and the exports keep showing the published version. A Redaktør publishes the revision
(its values are written to the object through the same checks as any save, and the history
records who published it and when) or discards it. Drafts are edited directly, as before.

The payload is field-generic: whatever fields the admin form edits are stored and applied by
name, so a field added to a model and its form later is covered without a change here.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import Revision, Stance, Statement, Status

# The model's permission that publishing (or discarding) a revision of it needs.
PUBLISH_PERMISSION = {Stance: "positions.publish_stance", Statement: "positions.publish_statement"}


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _model_field_names(model, names):
    """The names among ``names`` that are editable fields of ``model`` (not form-only fields)."""
    concrete = {f.name: f for f in model._meta.get_fields() if getattr(f, "editable", False)}
    return [name for name in names if name in concrete and not concrete[name].auto_created]


def form_values(form) -> dict:
    """The values ``form`` (a bound, valid ModelForm) proposes, as JSON: FK as pk, M2M as pk list."""
    model = form._meta.model
    values = {}
    for name in _model_field_names(model, form.cleaned_data):
        field = model._meta.get_field(name)
        value = form.cleaned_data[name]
        if field.many_to_many:
            values[name] = sorted(obj.pk for obj in value)
        elif field.is_relation:
            values[name] = value.pk if value is not None else None
        else:
            values[name] = _json(field.value_from_object(form.instance))
    return values


def stored_values(obj, names) -> dict:
    """``obj``'s values of the fields ``names`` as they are stored, in ``form_values``' shape."""
    stored = type(obj)._default_manager.get(pk=obj.pk)
    values = {}
    for name in names:
        field = type(obj)._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(stored, name).values_list("pk", flat=True))
        else:
            values[name] = _json(getattr(stored, field.attname))
    return values


def is_published(obj) -> bool:
    """Whether the stored row (not the edited instance) is published: then edits become revisions."""
    if obj.pk is None or not hasattr(obj, "status"):
        return False
    return type(obj)._default_manager.filter(pk=obj.pk, status=Status.PUBLISHED).exists()


def pending_for(obj):
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        state=Revision.State.PENDING,
    )


@transaction.atomic
def propose_revision(*, obj, values: dict, user) -> Revision | None:
    """Keep ``values`` as a pending revision of the published ``obj``; None if they change nothing.

    A newer proposal for the same object supersedes an older pending one (both stay in the record).
    """
    current = stored_values(obj, values)
    changed = [name for name in values if values[name] != current[name]]
    if not changed:
        return None
    services.ensure_history_baseline(obj)  # the history shows the published version it starts from
    pending_for(obj).update(state=Revision.State.SUPERSEDED)
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        data=values,
        changed_fields=changed,
        proposed_by=user,
    )


def apply_values(obj, data: dict) -> dict:
    """Set ``data``'s plain and foreign-key values on ``obj`` (in memory); return the M2M values."""
    many = {}
    for name, value in data.items():
        field = type(obj)._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        elif field.is_relation:
            setattr(obj, field.attname, value)
        else:
            setattr(obj, field.attname, field.to_python(value))
    return many


def _check(obj, many: dict) -> None:
    """The rules every save of this model goes through (``positions.services``)."""
    if isinstance(obj, Stance):
        evidence = Statement.objects.filter(pk__in=many.get("evidence", []))
        if "evidence" not in many:
            evidence = obj.evidence.all()
        services.check_stance_evidence(organisation=obj.organisation, value=obj.value, evidence=evidence)
    elif isinstance(obj, Statement):
        services.check_statement(obj)
    obj.full_clean()


def may_decide(user, revision: Revision) -> bool:
    permission = PUBLISH_PERMISSION.get(revision.content_type.model_class())
    return bool(permission) and user.has_perm(permission)


def _decide(revision: Revision, *, user) -> None:
    if not may_decide(user, revision):
        raise services.PublishPermissionDenied(_("Du har ikke tilgang til å publisere."))
    if not revision.is_pending:
        raise ValidationError(
            _("Forslaget er allerede avgjort (%(state)s).") % {"state": revision.get_state_display()}
        )


@transaction.atomic
def publish_revision(*, revision: Revision, user):
    """Write the revision's values to its object, recording who published it and when."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    _decide(revision, user=user)
    obj = revision.target
    if obj is None:
        raise ValidationError(_("Objektet forslaget gjelder, finnes ikke lenger."))
    services.ensure_history_baseline(obj)
    many = apply_values(obj, revision.data)
    try:
        _check(obj, many)
    except ValidationError as error:
        raise ValidationError(
            _("Forslaget kan ikke publiseres: %(errors)s") % {"errors": " ".join(error.messages)}
        ) from error
    now = timezone.now()
    if obj.status == Status.PUBLISHED:  # taken back to draft since the proposal: stays a draft
        obj.published_at, obj.published_by = now, user
    obj._history_user = user
    obj._change_reason = _("Forslag #%(id)s fra %(user)s publisert") % {
        "id": revision.pk,
        "user": revision.proposed_by or "?",
    }
    obj.save()
    for name, pks in many.items():
        getattr(obj, name).set(pks)
    if isinstance(obj, Stance):
        # A published stance shows its quotes: publish new draft evidence with it.
        drafts = obj.evidence.filter(status=Status.DRAFT)
        if drafts.exists():
            services.publish_statements(statements=drafts, user=user)
    revision.state, revision.decided_by, revision.decided_at = Revision.State.PUBLISHED, user, now
    revision.save(update_fields=["state", "decided_by", "decided_at"])
    return obj


@transaction.atomic
def discard_revision(*, revision: Revision, user) -> None:
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    _decide(revision, user=user)
    revision.state, revision.decided_by, revision.decided_at = Revision.State.DISCARDED, user, timezone.now()
    revision.save(update_fields=["state", "decided_by", "decided_at"])


def preview_cells(revision: Revision) -> list:
    """The grid cells the revision changes, built as the public would see them once it is published.

    Read like the public cell page (``build_grid``), then the revision's values are set on the
    objects in memory: nothing is written, so the public site and its cache cannot see a preview.
    """
    from dataclasses import replace

    from .grid import build_grid, evidence_queryset

    obj = revision.target
    if obj is None:
        return []
    if isinstance(obj, Stance):
        grid = build_grid(
            organisations=[obj.organisation.slug], topics=[obj.topic.slug], levels=None, published_only=False
        )
        stance = grid.cells.get((obj.organisation_id, obj.topic_id)) or obj
        many = apply_values(stance, revision.data)
        if "evidence" in many:
            stance.shown_evidence = list(
                evidence_queryset(published_only=False)
                .select_related("organisation__party")
                .filter(pk__in=many["evidence"])
            )
        elif not hasattr(stance, "shown_evidence"):
            stance.shown_evidence = []
        # The public grid shows a stance it cannot quote as not stated.
        shown = stance if stance.value == Stance.Value.NONE or stance.shown_evidence else None
        cell = grid.cell(obj.organisation, obj.topic)
        return [replace(cell, organisation=stance.organisation, topic=stance.topic, stance=shown)]
    cells = []
    for stance in Stance.objects.published().filter(evidence=obj).select_related("organisation", "topic"):
        grid = build_grid(organisations=[stance.organisation.slug], topics=[stance.topic.slug], levels=None)
        cell = grid.cell(stance.organisation, stance.topic)
        for statement in cell.evidence:
            if statement.pk == obj.pk:
                apply_values(statement, revision.data)
        cells.append(cell)
    return cells
