"""The admin front page's list of what waits for review."""

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
