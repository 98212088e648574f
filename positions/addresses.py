"""Addresses of the public pages named by slugs, reversed once per language rather than once per
link: a page of the grid links 600 cells, a topic page 60 quotes' sources, a valgomat result 600
answers. ``reverse()`` with placeholder slugs gives the text around them, and since a slug is
URL-safe as it is, putting slugs between those parts gives what ``reverse()`` would."""

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def address_parts(viewname: str, slugs: int = 1) -> tuple[str, ...]:
    """The address of ``viewname`` around its ``slugs`` slug arguments in the active language (and
    URL prefix and configuration): ``slugs + 1`` parts, the slugs to go between them."""
    return _parts(viewname, slugs, get_language(), get_script_prefix(), get_urlconf())


def address(viewname: str, slug: str) -> str:
    """``reverse(viewname, args=[slug])``, from ``address_parts``."""
    before, after = address_parts(viewname)
    return f"{before}{slug}{after}"


@cache
def _parts(viewname: str, slugs: int, language, prefix: str, urlconf) -> tuple[str, ...]:
    slots = [f"slot-{number}-3f9c" for number in range(slugs)]
    rest = reverse(viewname, args=slots)
    parts = []
    for slot in slots:
        before, _slot, rest = rest.partition(slot)
        parts.append(before)
    return (*parts, rest)


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    """Tests that change languages or URLs get fresh addresses, as Django's own caches do."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF"}:
        _parts.cache_clear()
