"""Helpers for admin tests that post forms."""


def stance_form(stance, **overrides) -> dict:
    """The stance change form's POST data for ``stance`` as it is, with ``overrides``."""
    return {
        "organisation": stance.organisation_id,
        "topic": stance.topic_id,
        "value": stance.value,
        "summary": stance.summary,
        "evidence": [s.pk for s in stance.evidence.all()],
    } | overrides
