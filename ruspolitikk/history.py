"""Edit history shared by every app's admin: the baseline entry and the admin class that writes it.

Both ``parties`` and ``positions`` keep django-simple-history on their models; this module is
where the piece they share lives, so that ``parties`` (the lower app) needs nothing from
``positions`` (the app built on it).
"""

from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

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


class BaselineHistoryAdmin(SimpleHistoryAdmin):
    """History admin that keeps a fixture-loaded object's first edit revertible."""

    def save_model(self, request, obj, form, change):
        ensure_history_baseline(obj)
        super().save_model(request, obj, form, change)
