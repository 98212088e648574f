"""Admin for parties and organisations: reference data editors pick from (history as in positions.admin)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ruspolitikk.history import BaselineHistoryAdmin

from .models import Organisation, Party


class OrganisationInline(admin.TabularInline):
    model = Organisation
    fields = ["name", "slug", "level", "region", "order"]
    extra = 0
    show_change_link = True


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "colour", "order"]
    search_fields = ["name", "short_name", "slug"]
    inlines = [OrganisationInline]


@admin.register(Organisation)
class OrganisationAdmin(BaselineHistoryAdmin):
    list_display = ["name", "party", "level", "region", "stance_count", "statement_count"]
    list_filter = ["party", "level"]
    search_fields = ["name", "slug", "region", "party__name", "party__short_name"]
    list_select_related = ["party"]
    # The annotation below drops the model's default ordering; the autocomplete paginates and
    # must have a stable order.
    ordering = ["party__order", "order", "name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                stance_total=Count("stances", distinct=True),
                statement_total=Count("statements", distinct=True),
            )
        )

    @admin.display(description=_("standpunkter"), ordering="stance_total")
    def stance_count(self, organisation):
        return organisation.stance_total

    @admin.display(description=_("uttalelser"), ordering="statement_total")
    def statement_count(self, organisation):
        return organisation.statement_total
