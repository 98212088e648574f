"""Template helpers for showing stances and quotes the same way on every page."""

from django import template
from django.utils.translation import gettext_lazy as _

from parties.models import Organisation
from positions.models import Stance

register = template.Library()

# Icons are decoration (aria-hidden); the text label always goes with them.
ICONS = {"for": "✓", "partly": "◐", "against": "✗", "none": "–"}
LABELS = dict(Stance.Value.choices)
LEVEL_LABELS = dict(Organisation.Level.choices)
LEVEL_PLURALS = {
    "national": _("Nasjonalt"),
    "county": _("Fylkeslag"),
    "municipal": _("Lokallag"),
    "youth": _("Ungdomspartier"),
}


@register.filter
def stance_icon(value: str) -> str:
    return ICONS.get(value, ICONS["none"])


@register.filter
def stance_label(value: str) -> str:
    return LABELS.get(value, LABELS["none"])


@register.filter
def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level)


@register.filter
def level_plural(level: str) -> str:
    return LEVEL_PLURALS.get(level, level)


@register.filter
def stated_count(cells) -> int:
    """How many of a row's cells state a position (for, partly or against)."""
    return sum(cell.value != "none" for cell in cells)


@register.inclusion_tag("positions/includes/badge.html")
def stance_badge(value: str, *, size: str = ""):
    value = value if value in ICONS else "none"
    return {"value": value, "icon": ICONS[value], "label": LABELS[value], "size": size}


@register.inclusion_tag("positions/includes/quote.html")
def quote(statement, *, show_source: bool = True, heading_level: int = 0):
    """A verbatim quote with who said it (and at which level), where, what kind of text and when."""
    return {"statement": statement, "show_source": show_source}
