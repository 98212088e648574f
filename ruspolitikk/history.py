"""Edit history shared by every app's admin: the baseline entry and the admin class that writes it.

Both ``parties`` and ``positions`` keep django-simple-history on their models; this module is
where the piece they share lives, so that ``parties`` (the lower app) needs nothing from
``positions`` (the app built on it).
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

BASELINE_REASON = gettext_lazy("Grunnlinje fra datafilene")


def ensure_history_baseline(obj) -> None:
    """Record an object's stored state in its history if it has none yet.

    Rows loaded from the fixtures have no history (loaddata bypasses the signals that write
    it), so without a baseline the first edit of a fixture stance could not be reverted. The
    baseline is the data files' work, not the editor's who happens to save first: it is
    recorded with no user, the reason "Grunnlinje fra datafilene", and the time the row was
    published (loaded) or created, so it reads as what it is in the admin's history.
    """
    model = type(obj)
    if obj.pk is None or model.history.filter(**{model._meta.pk.attname: obj.pk}).exists():
        return
    if stored := model._default_manager.filter(pk=obj.pk).first():
        stored._history_user = None  # else simple-history takes the request's user
        loaded_at = getattr(stored, "published_at", None) or getattr(stored, "created_at", None)
        model.history.bulk_history_create(
            [stored], default_change_reason=str(BASELINE_REASON), default_date=loaded_at
        )


def readable_history_value(field, value):
    """A stored value as an editor reads it: a choice's label, a local date, "–" for nothing."""
    if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
        return "–"  # simple-history shows an empty foreign key as a deleted object with no key
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nei")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return value


class ReadableHistoryContext(HistoricalRecordContextHelper):
    """History's «Endringer» column in an editor's words, not the database's (``published``)."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            return value
        return readable_history_value(self.model._meta.get_field(change.field), value)


class BaselineHistoryAdmin(SimpleHistoryAdmin):
    """History admin that keeps a fixture-loaded object's first edit revertible, and shows its
    history in Norwegian: column names and choice labels, not field names and raw values
    (``history_list_display`` fields are headed by their verbose name, shown by their label)."""

    object_history_list_template = "admin/positions/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContext(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        columns = [
            (name, capfirst(self.model._meta.get_field(name).verbose_name))
            for name in self.history_list_display
        ]
        extra_context = {**(extra_context or {}), "history_columns": columns}
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        ensure_history_baseline(obj)
        super().save_model(request, obj, form, change)
