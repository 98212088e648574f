"""Admin for topics, sources, statements and stances: the editors' workflow (issue 5).

Editors import a source (parsed into draft statements for review before anything is saved),
curate statements as exact spans of the source's verbatim text, set stances with evidence from
the same organisation, preview and publish them, and see or revert every change in the history.
Writes go through ``positions.services``; a Bidragsyter may edit drafts but never publish.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ruspolitikk.admin_input import ValidAutocompleteSelectMultiple
from ruspolitikk.history import BaselineHistoryAdmin

from . import revisions, services
from .forms import ImportSourceForm, StanceAdminForm, StatementAdminForm
from .grid import build_grid
from .models import Revision, Source, Stance, Statement, Status, Topic
from .templatetags.stances import ICONS
from .text import sha256


def stance_badge(value: str, label: str, summary: str = ""):
    """The grid cell's badge as the public sees it: icon and text (never colour alone), summary."""
    return format_html(
        '<span class="stance-badge stance-{}"><span aria-hidden="true">{}</span> {}</span>{}',
        value,
        ICONS.get(value, ICONS["none"]),
        label,
        format_html(" <span>{}</span>", summary) if summary else "",
    )


def protect_published_evidence(deleted, statements):
    """Add the published stances citing ``statements`` to the admin's "protected" list, so a
    delete that would leave a public stance without its quotes is refused with a clear page."""
    deleted_objects, model_count, perms_needed, protected = deleted
    citing = Stance.objects.published().filter(evidence__in=statements).distinct()
    protected = list(protected) + [
        format_html("{}: {}", gettext("Publisert standpunkt som siterer dette"), stance) for stance in citing
    ]
    return deleted_objects, model_count, perms_needed, protected


class PartyFilter(admin.SimpleListFilter):
    title = _("parti")
    parameter_name = "parti"
    organisation_path = "organisation__party__slug"

    def lookups(self, request, model_admin):
        from parties.models import Party

        return [(party.slug, party.short_name) for party in Party.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.organisation_path: self.value()})
        return queryset


class PublishableAdmin(BaselineHistoryAdmin):
    """Shared rules for statements and stances: draft vs published, and who may publish.

    Without the publish permission (a Bidragsyter) the publish actions are hidden, the server
    refuses them, the status is never editable, and published items cannot be deleted.

    A change to a published item (by anyone, a revert from history included) is not saved to it
    but kept as a pending revision (``positions.revisions``): the public site shows the published
    version until a Redaktør publishes the revision. A draft is edited directly.
    """

    publish_permission = ""  # "positions.publish_…"
    readonly_fields = ["status", "published_when", "published_by_whom"]
    object_history_template = "admin/positions/object_history.html"

    def save_model(self, request, obj, form, change):
        if change and revisions.is_published(obj):
            request.proposed_revision = revisions.propose_revision(
                obj=obj, values=revisions.form_values(form), user=request.user
            )
            form.save_m2m = lambda: None  # the published sets (evidence, topics) stay as they are too
            return
        self.save_directly(request, obj, form, change)

    def save_directly(self, request, obj, form, change):
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        if hasattr(request, "proposed_revision"):
            revision = request.proposed_revision
            if revision is None:
                return None
            message = gettext("Foreslo endring #%(id)s: %(fields)s") % {
                "id": revision.pk,
                "fields": ", ".join(revision.changed_fields),
            }
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not hasattr(request, "proposed_revision"):
            return super().response_change(request, obj)
        revision = request.proposed_revision
        if revision is None:
            self.message_user(request, gettext("Ingen endringer å foreslå."), messages.INFO)
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            gettext(
                "Endringen er lagret som forslag #%(id)s og venter på gjennomgang. Det publiserte "
                "står uendret til en redaktør publiserer forslaget."
            )
            % {"id": revision.pk},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:positions_revision_change", args=[revision.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if request.method == "GET" else None
        if obj is not None and (pending := revisions.pending_for(obj).first()):
            request.pending_revision = pending
            self.message_user(
                request,
                format_html(
                    gettext("Skjemaet viser {} som venter på gjennomgang, ikke det publiserte."),
                    format_html(
                        '<a href="{}">{}</a>',
                        reverse("admin:positions_revision_change", args=[pending.pk]),
                        gettext("forslag #%(id)s") % {"id": pending.pk},
                    ),
                ),
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        proposals = Revision.objects.filter(
            content_type__app_label=self.model._meta.app_label,
            content_type__model=self.model._meta.model_name,
            object_id=object_id if str(object_id).isdigit() else 0,
        ).select_related("proposed_by", "decided_by")
        extra_context = {**(extra_context or {}), "revisions": proposals}
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("publisert"))
    def published_when(self, obj):
        if obj.published_at:
            return date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")
        # Published data loaded before load_data stamped it (or by a raw fixture load).
        return self._loaded_or_empty(obj)

    @admin.display(description=_("publisert av"))
    def published_by_whom(self, obj):
        if obj.published_by_id:
            return obj.published_by
        return self._loaded_or_empty(obj)

    def _loaded_or_empty(self, obj):
        if obj.status == Status.PUBLISHED:
            return services.LOADED_FROM_DATA_FILES
        return self.get_empty_value_display()

    def may_publish(self, request) -> bool:
        return request.user.has_perm(self.publish_permission)

    def _draft_or_publisher(self, request, obj) -> bool:
        return obj is None or obj.status == Status.DRAFT or self.may_publish(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._draft_or_publisher(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not self.may_publish(request):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POSTed revert without checking change permission on the
        # current object; a contributor must not revert a published item.
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        request.reverting_to_history_id = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        version_id = getattr(request, "reverting_to_history_id", None)
        pending = getattr(request, "pending_revision", None)
        if pending is not None and version_id is None and request.method == "GET":
            # The form continues the pending proposal rather than starting again from the published.
            class PendingForm(form):
                def __init__(self, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.initial.update(pending.data)

            return PendingForm
        if version_id is None or request.method != "GET":
            return form
        # simple-history fills the revert form from the historical row, but many-to-many fields
        # (evidence, topics) from the object as it is now; show the version's own sets, so that
        # reverting a stance brings its evidence back too.
        record = self.model.history.get(history_id=version_id)
        initial = {}
        for field in record._history_m2m_fields:
            through_rows = getattr(record, field.name).all()
            fields = through_rows.model._meta.fields
            target = next(f for f in fields if f.related_model is field.related_model)
            initial[field.name] = [getattr(row, target.attname) for row in through_rows]

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(initial)

        return RevertForm

    # Each subclass names its two services and how to say what they did.
    publish_service = unpublish_service = None  # staticmethod(services.publish_…)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A curation form chooses an organisation, topic or source; it is no place to change or
        # delete one (Django's pencil and cross next to the field would delete a party from a
        # stance form), and new ones are made in their own lists.
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return formfield

    def published_message(self, count: int) -> str:
        raise NotImplementedError

    def unpublished_message(self, count: int) -> str:
        raise NotImplementedError

    def _run_status_service(self, request, function, queryset, done_message):
        if not self.may_publish(request):
            raise PermissionDenied
        try:
            count = function(queryset, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, done_message(count), messages.SUCCESS)

    @admin.action(description=_("Publiser valgte"))
    def publish_selected(self, request, queryset):
        self._run_status_service(request, self.publish_service, queryset, self.published_message)

    @admin.action(description=_("Gjør valgte til utkast"))
    def unpublish_selected(self, request, queryset):
        self._run_status_service(request, self.unpublish_service, queryset, self.unpublished_message)


class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "question"]
    prepopulated_fields = {"slug": ["name"]}


class SourceAdmin(BaselineHistoryAdmin):
    list_display = [
        "title",
        "organisation",
        "kind",
        "language",
        "date_label",
        "statement_count",
        "created_at",
    ]
    list_filter = [
        PartyFilter,
        ("organisation__level", admin.ChoicesFieldListFilter),
        "kind",
        "language",
        "date_precision",
    ]
    search_fields = ["title", "text", "organisation__name", "slug"]
    list_select_related = ["organisation"]
    readonly_fields = ["text_sha256", "created_at", "seed_file", "seed_start", "seed_end"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "kind", "language", "url"]}),
        (_("Datering"), {"fields": ["date_precision", "date_start", "date_end", "date_note"]}),
        (_("Tekst"), {"fields": ["text", "note"]}),
        (
            _("Opphav"),
            {"fields": ["text_sha256", "seed_file", "seed_start", "seed_end", "created_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_total=Count("statements"))

    @admin.display(description=_("uttalelser"), ordering="statement_total")
    def statement_count(self, source):
        return source.statement_total

    @admin.display(description=_("dato"))
    def date_label(self, source):
        return source.date_label

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.statements.exists():
            # Statements are spans of the text: once there are any, the text must not move.
            fields.append("text")
        return fields

    def get_deleted_objects(self, objs, request):
        deleted = super().get_deleted_objects(objs, request)
        return protect_published_evidence(deleted, Statement.objects.filter(source__in=objs))

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="positions_source_import",
            )
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        # One way in for new sources: the import view parses and previews before saving.
        return HttpResponseRedirect(reverse("admin:positions_source_import"))

    def import_view(self, request):
        """«Importer kilde»: form → preview of draft statements → confirm → saved atomically."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Importer kilde"),
            "has_view_permission": True,
        }
        form = ImportSourceForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            if existing := services.existing_source_for_text(text):
                self.message_user(
                    request,
                    format_html(
                        gettext("Denne teksten er allerede importert som {}. Ingenting ble lagret."),
                        format_html(
                            '<a href="{}">{}</a>',
                            reverse("admin:positions_source_change", args=[existing.pk]),
                            existing,
                        ),
                    ),
                    messages.WARNING,
                )
                context["existing"] = existing
            elif "_confirm" in request.POST and request.POST.get("previewed") != sha256(text):
                # The text was changed after the preview (or never previewed): preview it first.
                self.message_user(
                    request, gettext("Teksten er endret etter forhåndsvisningen: se over forslaget på nytt.")
                )
                context |= self._preview_context(text)
            elif "_confirm" in request.POST:
                source = services.import_source(**form.service_arguments(), user=request.user)
                self.log_addition(request, source, [{"added": {}}])
                count = source.statements.count()
                self.message_user(
                    request,
                    ngettext(
                        "Kilden «%(source)s» er lagret med %(count)s uttalelse som utkast.",
                        "Kilden «%(source)s» er lagret med %(count)s uttalelser som utkast.",
                        count,
                    )
                    % {"source": source.title, "count": count},
                    messages.SUCCESS,
                )
                changelist = reverse("admin:positions_statement_changelist")
                return HttpResponseRedirect(f"{changelist}?{urlencode({'source__id__exact': source.pk})}")
            else:
                context |= self._preview_context(text)
        context["form"] = form
        return TemplateResponse(request, "admin/positions/source/import.html", context)

    def _preview_context(self, text: str) -> dict:
        topics = {topic.slug: topic for topic in Topic.objects.all()}
        drafts = services.draft_statements(text=text, topics=topics.values())
        return {
            "preview": True,
            "previewed": sha256(text),
            "drafts": [(draft, [topics[slug] for slug in draft.topic_slugs]) for draft in drafts],
        }


class StatementAdmin(PublishableAdmin):
    form = StatementAdminForm
    publish_permission = "positions.publish_statement"
    # Fits beside the admin's two sidebars at 1280 px: the text as an excerpt, organisation and
    # source in one column that wraps (a foreign key column never wraps), the full text, span
    # and attribution on the change page.
    list_display = [
        "short_text",
        "origin",
        "kind",
        "topic_list",
        "uncertain_flag",
        "status",
    ]
    list_filter = [
        PartyFilter,
        ("organisation__level", admin.ChoicesFieldListFilter),
        "topics",
        "status",
        ("source__language", admin.ChoicesFieldListFilter),
        "confidence",
        "kind",
        "source",
    ]
    search_fields = ["text"]
    list_select_related = ["organisation", "source"]
    autocomplete_fields = ["source", "organisation"]
    filter_horizontal = ["topics"]
    actions = ["publish_selected", "unpublish_selected"]
    history_list_display = ["status"]
    fieldsets = [
        (None, {"fields": ["source", "organisation", "kind", "topics"]}),
        (
            _("Ordrett utdrag"),
            {
                "fields": ["start", "end", "text"],
                "description": _(
                    "Teksten må være nøyaktig kildeteksten fra start til slutt. Endrer du bare "
                    "start/slutt, følger teksten med; endrer du bare teksten, finnes den i kilden."
                ),
            },
        ),
        (_("Attribusjon"), {"fields": ["confidence", "attribution_note"]}),
        (_("Publisering"), {"fields": ["status", "published_when", "published_by_whom"]}),
    ]

    class Media:
        css = {"all": ["positions/admin/lists.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description=_("tekst"), ordering="text")
    def short_text(self, statement):
        return str(statement)

    @admin.display(description=_("organisasjon og kilde"), ordering="organisation__name")
    def origin(self, statement):
        return format_html(
            '{}<br><span class="quiet">{}</span>', statement.organisation, statement.source.title
        )

    @admin.display(description=_("temaer"))
    def topic_list(self, statement):
        return ", ".join(topic.short_name for topic in statement.topics.all())

    @admin.display(description=_("usikker"), boolean=True, ordering="confidence")
    def uncertain_flag(self, statement):
        return statement.is_uncertain

    def get_search_results(self, request, queryset, search_term):
        """The stance form's evidence autocomplete offers only the stance organisation's statements,
        and never a heading: a heading is not evidence (services.check_stance_evidence)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "stance" and request.GET.get("field_name") == "evidence":
            queryset = queryset.exclude(kind=Statement.Kind.HEADING)
            organisation = request.GET.get("organisation", "")
            if organisation.isdigit():
                queryset = queryset.filter(organisation_id=int(organisation))
        return queryset, may_have_duplicates

    def get_deleted_objects(self, objs, request):
        return protect_published_evidence(super().get_deleted_objects(objs, request), objs)

    def save_directly(self, request, obj, form, change):
        services.save_statement(statement=obj, user=request.user)

    @staticmethod
    def publish_service(queryset, *, user):
        return services.publish_statements(statements=queryset, user=user)

    @staticmethod
    def unpublish_service(queryset, *, user):
        return services.unpublish_statements(statements=queryset, user=user)

    def published_message(self, count):
        return ngettext("%(n)s uttalelse publisert.", "%(n)s uttalelser publisert.", count) % {"n": count}

    def unpublished_message(self, count):
        return ngettext("%(n)s uttalelse er nå utkast.", "%(n)s uttalelser er nå utkast.", count) % {
            "n": count
        }


class OrganisationScopedAutocomplete(ValidAutocompleteSelectMultiple):
    """Evidence autocomplete that tells the server whose statements to offer."""

    organisation_id: int | None = None

    def get_url(self):
        url = super().get_url()
        return f"{url}?{urlencode({'organisation': self.organisation_id})}" if self.organisation_id else url


class StanceAdmin(PublishableAdmin):
    form = StanceAdminForm
    publish_permission = "positions.publish_stance"
    # Organisation and topic as columns that wrap, the topic by its short name, so the cell's
    # summary wraps in full and status and preview stay in view at 1280 px.
    list_display = ["organisation_name", "topic_name", "cell", "status", "preview_link"]
    list_filter = [
        PartyFilter,
        ("organisation__level", admin.ChoicesFieldListFilter),
        "topic",
        "value",
        "status",
    ]
    search_fields = ["summary", "organisation__name", "topic__name"]
    list_select_related = ["organisation", "topic"]
    autocomplete_fields = ["organisation", "evidence"]
    actions = ["publish_selected", "unpublish_selected"]
    history_list_display = ["value", "status"]
    fieldsets = [
        (None, {"fields": ["organisation", "topic", "value", "summary", "summary_en"]}),
        (
            _("Belegg"),
            {
                "fields": ["evidence"],
                "description": _(
                    "Sitater fra organisasjonens egne uttalelser. Lagre organisasjonen først for å "
                    "få forslag bare fra den."
                ),
            },
        ),
        (_("Publisering"), {"fields": ["status", "published_when", "published_by_whom"]}),
    ]

    class Media:
        css = {"all": ["positions/admin/lists.css"]}
        js = [
            "admin/js/vendor/jquery/jquery.min.js",
            "admin/js/jquery.init.js",
            "positions/admin/stance_form.js",
        ]

    @admin.display(description=_("organisasjon"), ordering="organisation__name")
    def organisation_name(self, stance):
        return stance.organisation

    @admin.display(description=_("tema"), ordering="topic__order")
    def topic_name(self, stance):
        return stance.topic.short_name

    @admin.display(description=_("celle i rutenettet"), ordering="value")
    def cell(self, stance):
        return stance_badge(stance.value, stance.get_value_display(), stance.summary)

    @admin.display(description=_("vis"))
    def preview_link(self, stance):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:positions_stance_preview", args=[stance.pk]),
            gettext("Forhåndsvis"),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("evidence")
        if field is not None:
            wrapped = getattr(field.widget, "widget", field.widget)
            if isinstance(wrapped, AutocompleteSelectMultiple):
                scoped = OrganisationScopedAutocomplete(
                    wrapped.field, wrapped.admin_site, attrs=wrapped.attrs, choices=wrapped.choices
                )
                organisation = obj.organisation_id if obj else request.GET.get("organisation", "")
                scoped.organisation_id = int(organisation) if str(organisation).isdigit() else None
                if hasattr(field.widget, "widget"):
                    field.widget.widget = scoped
                else:
                    field.widget = scoped
        return form

    def save_directly(self, request, obj, form, change):
        services.save_stance(stance=obj, evidence=form.cleaned_data["evidence"], user=request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/forhandsvis/",
                self.admin_site.admin_view(self.preview_view),
                name="positions_stance_preview",
            )
        ] + super().get_urls()

    def preview_view(self, request, pk):
        """The stance as its grid cell and evidence would appear publicly, drafts included."""
        stance = get_object_or_404(Stance.objects.select_related("organisation", "topic"), pk=pk)
        if not self.has_view_or_change_permission(request, stance):
            raise PermissionDenied
        if pending := revisions.pending_for(stance).first():
            # The published stance has a proposal waiting: its preview is the proposal's.
            return HttpResponseRedirect(reverse("admin:positions_revision_change", args=[pending.pk]))
        grid = build_grid(
            organisations=[stance.organisation.slug],
            topics=[stance.topic.slug],
            levels=None,
            published_only=False,
        )
        cell = grid.cell(stance.organisation, stance.topic)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": stance,
            "title": gettext("Forhåndsvisning: %(stance)s") % {"stance": stance},
            "stance": stance,
            "cell": cell,
            "is_draft": stance.status == Status.DRAFT,
            "draft_evidence": [s for s in cell.evidence if s.status == Status.DRAFT],
        }
        return TemplateResponse(request, "admin/positions/stance/preview.html", context)

    @staticmethod
    def publish_service(queryset, *, user):
        return services.publish_stances(stances=queryset, user=user)

    @staticmethod
    def unpublish_service(queryset, *, user):
        return services.unpublish_stances(stances=queryset, user=user)

    def published_message(self, count):
        return ngettext("%(n)s standpunkt publisert.", "%(n)s standpunkter publisert.", count) % {"n": count}

    def unpublished_message(self, count):
        return ngettext("%(n)s standpunkt er nå utkast.", "%(n)s standpunkter er nå utkast.", count) % {
            "n": count
        }


def _display_value(model, name, value) -> str:
    """A revision's stored value as an editor reads it: choice labels, names, not raw keys."""
    field = model._meta.get_field(name)
    if field.many_to_many:
        return "; ".join(str(obj) for obj in field.related_model._default_manager.filter(pk__in=value or []))
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or "–")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "–" if value in (None, "") else str(value)


class RevisionAdmin(admin.ModelAdmin):
    """What waits for review: each proposal with what it changes, its preview, publish or discard."""

    list_display = ["__str__", "changed", "state", "proposed_by", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["state", ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["content_type", "proposed_by", "decided_by"]
    change_form_template = "admin/positions/revision/review.html"

    @admin.display(description=_("endrer"))
    def changed(self, revision):
        model = revision.content_type.model_class()
        return ", ".join(str(model._meta.get_field(name).verbose_name) for name in revision.changed_fields)

    def has_add_permission(self, request):
        return False  # a revision is made by editing a published object

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who proposed and who decided stays

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, object_id)
        if revision is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_or_change_permission(request, revision):
            raise PermissionDenied
        may_decide = revisions.may_decide(request.user, revision)
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            try:
                if "_publish" in request.POST:
                    revisions.publish_revision(revision=revision, user=request.user)
                    self.message_user(request, gettext("Forslaget er publisert."), messages.SUCCESS)
                elif "_discard" in request.POST:
                    revisions.discard_revision(revision=revision, user=request.user)
                    self.message_user(request, gettext("Forslaget er forkastet."), messages.SUCCESS)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        target = revision.target
        model = revision.content_type.model_class()
        current = revisions.stored_values(target, revision.data) if target is not None else {}
        rows = [
            (
                model._meta.get_field(name).verbose_name,
                _display_value(model, name, current.get(name)),
                _display_value(model, name, revision.data[name]),
            )
            for name in revision.changed_fields
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": revision,
            "title": gettext("Forslag til endring #%(id)s") % {"id": revision.pk},
            "revision": revision,
            "target": target,
            "target_url": reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[revision.object_id]
            ),
            "rows": rows,
            "cells": revisions.preview_cells(revision) if revision.is_pending else [],
            "may_decide": may_decide and revision.is_pending,
            "has_view_permission": True,
        }
        return TemplateResponse(request, self.change_form_template, context)


admin.site.site_header = _("Ruspolitikk – redaksjonen")
admin.site.site_title = _("Ruspolitikk redaksjon")
admin.site.index_title = _("Kilder, uttalelser og standpunkter")

admin.site.register(Topic, TopicAdmin)
admin.site.register(Source, SourceAdmin)
admin.site.register(Statement, StatementAdmin)
admin.site.register(Stance, StanceAdmin)
admin.site.register(Revision, RevisionAdmin)
