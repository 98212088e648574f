"""Helpers for admin tests that post forms."""

from django.urls import reverse

from positions.models import Revision
from positions.revisions import pending_for


def publish_pending(client, obj) -> Revision | None:
    """Publish ``obj``'s pending revision (an edit of published data) through the admin, as a
    Redaktør does; None if the edit left nothing pending (a draft is edited directly)."""
    revision = pending_for(obj).first()
    if revision is not None:
        response = client.post(
            reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"}
        )
        assert response.status_code == 302
        revision.refresh_from_db()
        assert revision.state == Revision.State.PUBLISHED, revision.state
    return revision


def stance_form(stance, **overrides) -> dict:
    """The stance change form's POST data for ``stance`` as it is, with ``overrides``."""
    return {
        "organisation": stance.organisation_id,
        "topic": stance.topic_id,
        "value": stance.value,
        "summary": stance.summary,
        "summary_en": stance.summary_en,
        "evidence": [s.pk for s in stance.evidence.all()],
    } | overrides


def statement_form(statement, **overrides) -> dict:
    """The statement change form's POST data for ``statement`` as it is, with ``overrides``;
    an override of None leaves that field out of the POST."""
    data = {
        "source": statement.source_id,
        "organisation": statement.organisation_id,
        "start": statement.start,
        "end": statement.end,
        "text": statement.text,
        "kind": statement.kind,
        "topics": [topic.pk for topic in statement.topics.all()],
        "confidence": statement.confidence,
        "attribution_note": statement.attribution_note,
    } | overrides
    return {key: value for key, value in data.items() if value is not None}


NEW_SOURCE_TEXT = "Ny politikk\n\nVi vil ha flere sprøyterom i distriktene.\n"


def import_new_ap_source(editor, *, language: str = "nb"):
    """Import a small new resolution for Arbeiderpartiet, as the admin's import form does."""
    from positions.models import Source
    from positions.services import import_source

    return import_source(
        organisation=Source.objects.get(slug="ap-rus").organisation,
        title="Nytt vedtak",
        kind="resolution",
        language=language,
        date_precision="day",
        date_start=None,
        date_end=None,
        url="",
        text=NEW_SOURCE_TEXT,
        user=editor,
    )
