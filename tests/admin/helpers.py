"""Helpers for admin tests that post forms."""


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
