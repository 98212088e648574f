"""Admin template helpers: what waits for review (the front page), history in an editor's words."""

from django import template

from positions.models import Revision

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_revisions(context):
    """Pending revisions, oldest first, if the user may see them; else none."""
    user = context["request"].user
    if not user.has_perm("positions.view_revision"):
        return []
    return list(
        Revision.objects.filter(state=Revision.State.PENDING)
        .select_related("content_type", "proposed_by")
        .order_by("proposed_at", "pk")
    )


@register.filter
def history_label(record, name):
    """A historical record's field as an editor reads it (``publisert``, not ``published``)."""
    from ruspolitikk.history import readable_history_value

    field = record._meta.get_field(name)
    return readable_history_value(field, getattr(record, field.attname))
