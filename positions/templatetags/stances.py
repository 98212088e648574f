"""Template helpers for showing stances and quotes the same way on every page."""

from functools import cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
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


@register.simple_tag
def stance_badge(value: str, *, size: str = "") -> SafeString:
    """The badge (icon and label) for a stance value: the grid shows 81 of them, in four kinds."""
    return _badge(value if value in ICONS else "none", size, get_language())


@cache
def _badge(value: str, size: str, language: str) -> SafeString:
    # One rendering per value, size and language: the badge depends on nothing else.
    context = {"value": value, "icon": ICONS[value], "label": LABELS[value], "size": size}
    return render_to_string("positions/includes/badge.html", context)


@receiver(setting_changed)
def _forget_badges(*, setting, **kwargs):
    """Tests that change languages or templates get fresh badges, as Django's own caches do."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "TEMPLATES"}:
        _badge.cache_clear()


@register.inclusion_tag("positions/includes/quote.html")
def quote(statement, *, show_source: bool = True, heading_level: int = 0):
    """A verbatim quote with who said it (and at which level), where, what kind of text and when."""
    return {"statement": statement, "show_source": show_source}
