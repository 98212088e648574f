"""The admin speaks Norwegian throughout (issue 9, section 6, admin part).

Walks every admin page a Redaktør reaches (lists with counts shown, forms, history, revert,
delete confirmation, review, import) and checks that no English text Django, its contrib apps or
django-simple-history would show is left: every text node and every visible attribute (placeholder,
title, aria-label, button value) is compared with the English source strings of their catalogues,
and history shows choice labels, not raw values. What Django's nb catalogue lacks is in
locale/nb/LC_MESSAGES/django.po and djangojs.po.
"""

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
import simple_history
from django.urls import reverse

from parties.models import Organisation
from positions.models import Revision, Source, Stance, Statement
from tests.admin.helpers import publish_pending, stance_form
from tests.conftest import load_real_data

DJANGO = Path(django.__file__).parent
CATALOGUES = [
    DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po",
    DJANGO / "conf/locale/en/LC_MESSAGES/django.po",
    Path(simple_history.__file__).parent / "locale/de/LC_MESSAGES/django.po",
]
# English that is also Norwegian, or names: the same word in both languages is no defect.
SAME_IN_BOTH = {"Status", "Admin", "OK", "Django", "URL", "E-post", "%s", "ID", "Sjekksum"}
RAW_VALUES = {"published", "draft", "pending", "partly", "against", "none", "certain", "uncertain"}


def english_source_strings() -> set[str]:
    """Every msgid (and plural) in the catalogues, as the English a page would show untranslated."""
    strings: set[str] = set()
    for path in CATALOGUES:
        key, entry = None, {}
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
            elif line.startswith(("msgid ", "msgid_plural ")):
                key, _space, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
            elif not line.strip():
                strings.update(value for name, value in entry.items() if name.startswith("msgid"))
                key, entry = None, {}
            elif line.startswith("msgstr"):
                key = None
    # Only whole sentences or labels without placeholders can be compared with a page's text.
    return {s for s in strings if len(s) > 2 and "%" not in s and "{" not in s and s not in SAME_IN_BOTH}


class VisibleText(HTMLParser):
    """Text nodes and the attributes a reader or screen reader meets, whitespace collapsed."""

    SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if value and (
                name in self.SHOWN_ATTRIBUTES
                or (name == "value" and dict(attrs).get("type") in {"submit", "button"})
            ):
                self.found.append(" ".join(value.split()))

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and (text := " ".join(data.split())):
            self.found.append(text.rstrip(":"))


@pytest.fixture
def world(editor_client, editor):
    load_real_data()
    stance = Stance.objects.published().exclude(value="none").first()
    # History with an edit published after review, and one proposal waiting.
    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, summary="Endret.")
    )
    publish_pending(editor_client, stance)
    editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, value="partly")
    )
    return stance


def admin_pages(stance) -> list[str]:
    statement = stance.evidence.first()
    source = statement.source
    organisation = Organisation.objects.first()
    revision = Revision.objects.get(state="pending")
    version = stance.history.earliest()
    pages = ["admin:index", "admin:password_change", "admin:positions_source_import"]
    pages += [f"admin:{model}_changelist" for model in MODELS]
    pages += [
        f"admin:{model}_add" for model in MODELS if model not in {"positions_source", "positions_revision"}
    ]
    urls = [reverse(name) for name in pages]
    urls += [reverse("admin:positions_stance_changelist") + "?_facets=True&status__exact=published"]
    urls += [reverse("admin:positions_statement_changelist") + "?_facets=True&q=straff"]
    for name, pk in [
        ("positions_stance", stance.pk),
        ("positions_statement", statement.pk),
        ("positions_source", source.pk),
        ("parties_organisation", organisation.pk),
    ]:
        urls += [reverse(f"admin:{name}_{view}", args=[pk]) for view in ("change", "history", "delete")]
    urls += [
        reverse("admin:positions_stance_simple_history", args=[stance.pk, version.history_id]),
        reverse("admin:positions_revision_change", args=[revision.pk]),
        reverse("admin:app_list", args=["positions"]),
    ]
    return urls


MODELS = [
    "positions_topic",
    "positions_source",
    "positions_statement",
    "positions_stance",
    "positions_revision",
    "parties_party",
    "parties_organisation",
]


def test_no_english_is_left_on_any_admin_page_a_redaktor_sees(editor_client, world):
    english = english_source_strings()
    assert {"Start typing to filter…", "Show counts", "Run", "Date/time", "Changed by"} <= english

    left: dict[str, set[str]] = {}
    for url in admin_pages(world):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        parser = VisibleText()
        parser.feed(response.text)
        if found := {text for text in parser.found if text in english or text.rstrip("…") in english}:
            left[url] = found
    assert left == {}


def test_history_shows_column_names_and_choice_labels_not_raw_values(editor_client, world):
    page = editor_client.get(reverse("admin:positions_stance_history", args=[world.pk])).text
    table = page.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    parser = VisibleText()
    parser.feed(table)

    assert {"Standpunkt", "Status", "Dato/tid", "Endret av", "Endringer"} <= set(parser.found)
    assert "publisert" in parser.found
    assert not RAW_VALUES & set(parser.found)
    assert not [text for text in parser.found if "pk=None" in text or "Slettet bruker" in text]


def test_the_admin_javascript_catalogue_is_norwegian(editor_client, db):
    catalogue = editor_client.get(reverse("admin:jsi18n")).text

    for english, norwegian in [
        ("Remove all %s", "Fjern alle %s"),
        ("Today (%(date)s)", "I dag (%(date)s)"),
        ("(click to clear)", "(klikk for å tømme)"),
    ]:
        assert f"{json.dumps(english)}: {json.dumps(norwegian)}" in catalogue


@pytest.mark.parametrize("model", [Source, Statement, Stance])
def test_every_choice_a_list_filter_offers_is_norwegian(editor_client, world, model):
    url = reverse(f"admin:positions_{model._meta.model_name}_changelist")
    parser = VisibleText()
    parser.feed(editor_client.get(url).text)

    assert not RAW_VALUES & set(parser.found)
