"""Tampered admin input is answered with 400 or 404, never with a 500.

Django's admin and django-simple-history pass some values from the address or a form straight
to the database, where only a hand-edited URL or form can make them bad:

- a history object id or version id that is not a number (``…/1/history/abc/``): simple-history
  looks it up as it is → here 404, like any address that names nothing;
- a list filter value its field cannot hold (``?ip_address=abc`` on PostgreSQL's ``inet``,
  ``?source__id__exact=abc``) → 400 through Django's own "lookup not allowed" path;
- selected rows of an action that are not ids (``_selected_action=abc``) → 400, nothing done;
- a related object that is not an id, in an add form's prefill (``…/add/?source=abc``) or in a
  posted form: the autocomplete widget looked it up to show its label. The safe widgets leave
  such values out; the form itself says the choice is not valid.

``StrictInputAdmin`` carries all of it; ``ruspolitikk.admin_site`` mixes it into every model
admin on the site, ours and the libraries' (auth, axes) alike.
"""

from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils.translation import gettext as _

from .badrequests import bad_request

# Lookups whose value is compared with the field's own values, so it must be one of them.
VALUE_LOOKUPS = {"exact", "gt", "gte", "lt", "lte"}
LIST_LOOKUPS = {"in", "range"}  # comma-separated values


def fits(field, value) -> bool:
    """Could ``value`` (text from a request) be stored in ``field``?"""
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class ValidChoicesMixin:
    """Autocomplete widget that shows only well-formed ids (it queries the ones it is given)."""

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        valid = [v for v in value if v in (None, "") or fits(target, v)]
        return super().optgroups(name, valid, attr)


class ValidAutocompleteSelect(ValidChoicesMixin, AutocompleteSelect):
    pass


class ValidAutocompleteSelectMultiple(ValidChoicesMixin, AutocompleteSelectMultiple):
    pass


def compared_field(model, lookup: str):
    """The field a changelist lookup such as ``source__id__gte`` compares its value with, and the
    lookup's name (``gte``; ``exact`` when none is given). (None, "") when it names no field."""
    field = None
    for part in lookup.split(LOOKUP_SEP):
        if field is not None and not field.is_relation:
            return field, part  # a lookup or transform on a plain field
        try:
            field = (field.related_model if field is not None else model)._meta.get_field(part)
        except FieldDoesNotExist:
            return (field.target_field, part) if field is not None else (None, "")
    return (field.target_field if field.is_relation else field), "exact"


class StrictInputAdmin:
    """Mixin for a ModelAdmin (or SimpleHistoryAdmin): see the module's docstring."""

    def lookup_allowed(self, lookup, value, request):
        if not super().lookup_allowed(lookup, value, request):
            return False
        field, name = compared_field(self.model, lookup)
        if field is None or name not in VALUE_LOOKUPS | LIST_LOOKUPS:
            return True
        values = value.split(",") if name in LIST_LOOKUPS else [value]
        return all(fits(field, item) for item in values)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, *args, **kwargs):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(fits(self.opts.pk, pk) for pk in selected):
            return bad_request(request, _("Valget av rader er ikke gyldig. Ingenting ble endret."))
        return super().response_action(request, *args, **kwargs)

    def _object_id_or_404(self, object_id):
        if not fits(self.opts.pk, unquote(object_id)):
            raise Http404("The object id is not a valid primary key.")

    def history_view(self, request, object_id, extra_context=None):
        self._object_id_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's view of one past version (only on a SimpleHistoryAdmin)."""
        self._object_id_or_404(object_id)
        history_pk = self.model.history.model._meta.pk
        if not fits(history_pk, version_id):
            raise Http404("The version id is not a valid history id.")
        return super().history_form_view(request, object_id, version_id, extra_context)
