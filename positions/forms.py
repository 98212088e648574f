"""Admin forms: they check the editorial rules early, with messages an editor can act on.

The rules themselves live in ``positions.services``; these forms call them so the admin and the
service functions never disagree.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from parties.models import Organisation

from . import services
from .models import Source, Stance, Statement


class ImportSourceForm(forms.Form):
    """Step one of «Importer kilde»: the text and what we know about it."""

    organisation = forms.ModelChoiceField(
        Organisation.objects.select_related("party"), label=_("Organisasjon")
    )
    title = forms.CharField(label=_("Tittel"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Source.Kind.choices)
    language = forms.ChoiceField(label=_("Språk"), choices=Source.Language.choices)
    date_precision = forms.ChoiceField(
        label=_("Datering"), choices=Source.DatePrecision.choices, initial=Source.DatePrecision.UNKNOWN
    )
    date_start = forms.DateField(label=_("Fra dato"), required=False, help_text=_("ÅÅÅÅ-MM-DD"))
    date_end = forms.DateField(label=_("Til dato"), required=False, help_text=_("ÅÅÅÅ-MM-DD"))
    url = forms.URLField(label=_("Adresse"), required=False, assume_scheme="https")
    text = forms.CharField(
        label=_("Fulltekst"),
        required=False,
        strip=False,  # verbatim, trailing newline included
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=_("Lim inn teksten ordrett, eller last opp en .txt-fil under."),
    )
    upload = forms.FileField(label=_("Eller last opp .txt (UTF-8)"), required=False)

    MAX_UPLOAD_BYTES = 2_000_000

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return ""
        if not upload.name.lower().endswith(".txt"):
            raise ValidationError(_("Last opp en ren tekstfil (.txt)."))
        if upload.size > self.MAX_UPLOAD_BYTES:
            raise ValidationError(_("Filen er for stor (over 2 MB)."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("Filen er ikke UTF-8 (feil ved byte %(position)s).") % {"position": error.start}
            ) from error
        # As for pasted text (Django's CharField): a database text cannot hold a NUL byte.
        ProhibitNullCharactersValidator()(text)
        return text

    def clean(self):
        cleaned = super().clean()
        text = services.normalise_newlines(cleaned.get("upload") or cleaned.get("text") or "")
        if cleaned.get("upload") and cleaned.get("text"):
            self.add_error("text", _("Lim inn tekst eller last opp en fil, ikke begge deler."))
        elif not text.strip():
            self.add_error("text", _("Teksten er tom."))
        cleaned["text"] = text
        start, end = cleaned.get("date_start"), cleaned.get("date_end")
        if start and end and start > end:
            self.add_error("date_end", _("Til-datoen kan ikke være før fra-datoen."))
        return cleaned

    def service_arguments(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "upload"}
        data["url"] = data.get("url") or ""
        return data


class StatementAdminForm(forms.ModelForm):
    """Curating a statement: its span must stay an exact slice of the source's verbatim text."""

    class Meta:
        model = Statement
        fields = [
            "source",
            "organisation",
            "start",
            "end",
            "text",
            "kind",
            "topics",
            "confidence",
            "attribution_note",
        ]

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source") or (self.instance.source if self.instance.source_id else None)
        start, end, text = cleaned.get("start"), cleaned.get("end"), cleaned.get("text")
        if source is not None and None not in (start, end) and text is not None:
            try:
                start, end, text = services.resolve_span(
                    source_text=source.text,
                    start=start,
                    end=end,
                    text=text,
                    old_start=self.initial.get("start"),
                    old_end=self.initial.get("end"),
                    old_text=self.initial.get("text"),
                )
            except ValidationError as error:
                self.add_error(None, error)
            else:
                cleaned.update(start=start, end=end, text=text)
                self.instance.start, self.instance.end, self.instance.text = start, end, text
        if (
            cleaned.get("confidence") == Statement.Confidence.UNCERTAIN
            and not (cleaned.get("attribution_note") or "").strip()
        ):
            self.add_error(
                "attribution_note", _("En usikker attribusjon må ha en merknad som forklarer hvorfor.")
            )
        return cleaned


class StanceAdminForm(forms.ModelForm):
    class Meta:
        model = Stance
        fields = ["organisation", "topic", "value", "summary", "summary_en", "evidence"]
        # A sentence of up to 300 characters: a box that shows all of it, not a one-line input.
        widgets = {"summary": forms.Textarea(attrs={"rows": 4, "cols": 80})}

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if "value" in cleaned and "evidence" in cleaned:
            try:
                services.check_stance_evidence(
                    organisation=organisation, value=cleaned["value"], evidence=cleaned["evidence"]
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
