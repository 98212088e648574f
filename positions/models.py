"""What was said and what it means: topics, source texts, verbatim statements and curated stances.

The chain of evidence is Source (verbatim text) -> Statement (an exact span of that text,
attributed to an organisation) -> Stance (an organisation's position on a topic, citing
statements). Every link is checked: see ``positions.validation``.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parties.models import Organisation

from .querysets import StanceQuerySet, StatementManager, StatementQuerySet

# The last Storting election: a source written before it may no longer say what the party thinks,
# and the site says so wherever its quotes appear. Move it on after the next election (2029).
LAST_STORTING_ELECTION = datetime.date(2025, 9, 8)


class Status(models.TextChoices):
    DRAFT = "draft", _("utkast")
    PUBLISHED = "published", _("publisert")


def in_language(obj, name: str) -> str:
    """The English field on English pages where it is written, else the bokmål one."""
    if (get_language() or "").startswith("en") and (english := getattr(obj, f"{name}_en")):
        return english
    return getattr(obj, name)


class TopicGroup(models.Model):
    """A group of topics: the header row over the grid's topic columns (fixtures/topics.toml)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    name_en = models.CharField(_("navn (engelsk)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("temagruppe")
        verbose_name_plural = _("temagrupper")

    def __str__(self) -> str:
        return self.name

    @property
    def name_local(self) -> str:
        return in_language(self, "name")


class Topic(models.Model):
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    short_name = models.CharField(_("kortnavn"), max_length=30)
    group = models.ForeignKey(
        TopicGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("gruppe"),
    )
    name_en = models.CharField(_("navn (engelsk)"), max_length=100, blank=True)
    short_name_en = models.CharField(_("kortnavn (engelsk)"), max_length=30, blank=True)
    question_en = models.CharField(_("spørsmål (engelsk)"), max_length=200, blank=True)
    explainer_en = models.TextField(_("forklaring (engelsk)"), blank=True)
    question = models.CharField(
        _("spørsmål"),
        max_length=200,
        help_text=_("Det «for» og «mot» svarer på, f.eks. «Bør bruk og besittelse avkriminaliseres?»"),
    )
    explainer = models.TextField(_("forklaring"), help_text=_("Ett avsnitt på enkel bokmål."))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    lexicon = models.TextField(
        _("ordliste"),
        help_text=_(
            "Regulære uttrykk (ett per linje, uten skille på store og små bokstaver) som "
            "merker en uttalelse med temaet. Bokmål og nynorsk."
        ),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")

    def __str__(self) -> str:
        return self.name

    @property
    def patterns(self) -> list[str]:
        return [line.strip() for line in self.lexicon.splitlines() if line.strip()]

    # What the public pages show: English on /en/ where it is written, bokmål otherwise.
    @property
    def name_local(self) -> str:
        return in_language(self, "name")

    @property
    def short_name_local(self) -> str:
        return in_language(self, "short_name")

    @property
    def question_local(self) -> str:
        return in_language(self, "question")

    @property
    def explainer_local(self) -> str:
        return in_language(self, "explainer")


class Source(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("partiprogram")
        WEB_PAGE = "web_page", _("nettside")
        RESOLUTION = "resolution", _("resolusjon")
        ARTICLE = "article", _("artikkel")

    class Language(models.TextChoices):
        BOKMAL = "nb", _("bokmål")
        NYNORSK = "nn", _("nynorsk")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("dag")
        YEAR = "year", _("år")
        PERIOD = "period", _("periode")
        APPROXIMATE = "approximate", _("omtrentlig")
        UNKNOWN = "unknown", _("ukjent")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sources",
        verbose_name=_("organisasjon"),
        help_text=_("Den som i hovedsak står bak teksten. Hver uttalelse har sin egen attribusjon."),
    )
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    language = models.CharField(_("språk"), max_length=2, choices=Language.choices)
    date_precision = models.CharField(
        _("datering"), max_length=12, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_start = models.DateField(_("fra dato"), null=True, blank=True)
    date_end = models.DateField(_("til dato"), null=True, blank=True)
    date_note = models.CharField(
        _("om dateringen"), max_length=300, blank=True, help_text=_("Hvordan dateringen er funnet.")
    )
    url = models.URLField(_("adresse"), blank=True)
    seed_file = models.CharField(
        _("kildefil"), max_length=120, blank=True, help_text=_("Filen i fixtures/sources/ teksten kom fra.")
    )
    seed_start = models.PositiveIntegerField(_("start i kildefilen"), null=True, blank=True)
    seed_end = models.PositiveIntegerField(_("slutt i kildefilen"), null=True, blank=True)
    note = models.TextField(_("redaksjonell merknad"), blank=True)
    text = models.TextField(_("fulltekst"), help_text=_("Ordrett, slik partiet skrev den."))
    text_sha256 = models.CharField(_("sjekksum"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__party__order", "organisation__order", "-date_start", "title"]
        verbose_name = _("kilde")
        verbose_name_plural = _("kilder")
        constraints = [
            models.CheckConstraint(
                condition=Q(date_start__isnull=True)
                | Q(date_end__isnull=True)
                | Q(date_start__lte=F("date_end")),
                name="source_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(seed_start__isnull=True, seed_end__isnull=True) | Q(seed_start__lt=F("seed_end")),
                name="source_seed_span_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    def save(self, *args, **kwargs):
        from .text import sha256

        self.text_sha256 = sha256(self.text)
        super().save(*args, **kwargs)

    @property
    def date_label(self) -> str:
        """Human date, as precise as we know it: 26.05.2020, 2023, 2017–2021, ca. 2011, udatert."""
        return format_date_label(self.date_precision, self.date_start, self.date_end)

    @property
    def is_dated(self) -> bool:
        """Whether we know when it was written (else its date reads "udatert")."""
        return self.date_label != format_date_label(Source.DatePrecision.UNKNOWN, None, None)

    @property
    def predates_election(self) -> bool:
        """Written before the last Storting election, as far as its date tells (``predates_election``)."""
        return predates_election(self.date_precision, self.date_start, self.date_end)

    @property
    def election_note(self) -> str:
        """ "fra før valget i 2025" for a source older than the last election, else "" (an undated
        source already says "udatert" as its date)."""
        from django.utils.translation import gettext

        if self.predates_election:
            return gettext("fra før valget i %(year)s") % {"year": LAST_STORTING_ELECTION.year}
        return ""


def written_after_election(prefix: str = "") -> Q:
    """Sources (through ``prefix``, e.g. ``"source__"``) dated on or after the last election; the
    same rule as ``Source.predates_election``, in SQL, so a whole grid is read in one query."""
    election = LAST_STORTING_ELECTION
    precision = Source.DatePrecision
    return (
        Q(**{f"{prefix}date_precision": precision.DAY, f"{prefix}date_start__gte": election})
        | Q(
            **{
                f"{prefix}date_precision__in": [precision.YEAR, precision.APPROXIMATE],
                f"{prefix}date_start__gte": datetime.date(election.year, 1, 1),
            }
        )
        | Q(
            **{
                f"{prefix}date_precision": precision.PERIOD,
                f"{prefix}date_start__isnull": False,
                f"{prefix}date_end__gte": election,
            }
        )
    )


def predates_election(precision: str, start: datetime.date | None, end: datetime.date | None) -> bool:
    """Whether a source of this dating was written before the last Storting election, as far as its
    date tells (a year or "ca." year counts as the whole year: "2025" is not before an election in
    September 2025); an undated source (one ``format_date_label`` calls "udatert") is not.
    ``Source.predates_election``, for a source read as plain values."""
    election = LAST_STORTING_ELECTION
    match precision:  # the cases in which format_date_label gives a date
        case Source.DatePrecision.DAY if start:
            return start < election
        case Source.DatePrecision.PERIOD if start and end:
            return end < election
        case Source.DatePrecision.YEAR | Source.DatePrecision.APPROXIMATE if start:
            return start.year < election.year
    return False


def format_date_label(precision: str, start: datetime.date | None, end: datetime.date | None) -> str:
    from django.utils.translation import gettext

    match precision:
        case Source.DatePrecision.DAY if start:
            return start.strftime("%d.%m.%Y")
        case Source.DatePrecision.YEAR if start:
            return str(start.year)
        case Source.DatePrecision.PERIOD if start and end:
            return f"{start.year}–{end.year}"
        case Source.DatePrecision.APPROXIMATE if start:
            return gettext("ca. %(year)s") % {"year": start.year}
    return gettext("udatert")


class Quoted:
    """What a quote shows of a statement, whether a Statement or a topic page's plain
    ``positions.topic_quotes.Quote``: the one rule for its anchor and for uncertain attribution."""

    __slots__ = ()

    @property
    def is_uncertain(self) -> bool:
        return self.confidence == Statement.Confidence.UNCERTAIN

    @property
    def anchor(self) -> str:
        """Its id in its source's page (``#u123``)."""
        return f"u{self.pk}"


class Statement(Quoted, models.Model):
    """An exact span of a source's text, attributed to one organisation."""

    class Kind(models.TextChoices):
        HEADING = "heading", _("overskrift")
        PARAGRAPH = "paragraph", _("avsnitt")
        BULLET = "bullet", _("kulepunkt")
        SENTENCE = "sentence", _("setning")

    class Confidence(models.TextChoices):
        CERTAIN = "certain", _("sikker")
        UNCERTAIN = "uncertain", _("usikker")

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="statements", verbose_name=_("kilde")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("organisasjon"),
    )
    text = models.TextField(_("tekst"))
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("slutt"))
    order = models.PositiveIntegerField(_("rekkefølge"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements", verbose_name=_("temaer"))
    confidence = models.CharField(
        _("attribusjon"), max_length=10, choices=Confidence.choices, default=Confidence.CERTAIN
    )
    attribution_note = models.TextField(
        _("om attribusjonen"), blank=True, help_text=_("Hvorfor teksten er tilskrevet denne organisasjonen.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publisert av"),
    )

    # Maintained by a trigger on PostgreSQL (migration 0002); unused and empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["search_vector"])
    objects = StatementManager.from_queryset(StatementQuerySet)()

    class Meta:
        ordering = ["source", "order"]
        verbose_name = _("uttalelse")
        verbose_name_plural = _("uttalelser")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="statement_span_not_empty"),
            models.CheckConstraint(
                condition=Q(confidence__in=["certain", "uncertain"]), name="statement_confidence_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="statement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence="certain") | ~Q(attribution_note=""),
                name="uncertain_statement_has_note",
            ),
            models.UniqueConstraint(fields=["source", "order"], name="statement_order_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # The grid's source dates (positions.grid.source_dates) read only this index: the
            # published statements of a page's organisations, grouped by source. ``status`` is in
            # it for SQLite, which reads a partial index alone only if it holds every column used.
            models.Index(
                fields=["organisation", "source", "published_at", "status"],
                condition=Q(status="published"),
                name="statement_published_by_source",
            ),
        ]
        permissions = [("publish_statement", _("Kan publisere uttalelser"))]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class Stance(models.Model):
    class Value(models.TextChoices):
        FOR = "for", _("for")
        PARTLY = "partly", _("delvis")
        AGAINST = "against", _("mot")
        NONE = "none", _("ikke uttalt")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="stances", verbose_name=_("organisasjon")
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="stances", verbose_name=_("tema"))
    value = models.CharField(_("standpunkt"), max_length=10, choices=Value.choices)
    summary = models.CharField(_("oppsummering"), max_length=300, help_text=_("Én setning på enkel bokmål."))
    summary_en = models.CharField(
        _("oppsummering (engelsk)"), max_length=300, blank=True, help_text=_("Vises på de engelske sidene.")
    )
    evidence = models.ManyToManyField(Statement, blank=True, related_name="stances", verbose_name=_("belegg"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publisert av"),
    )
    updated_at = models.DateTimeField(_("endret"), default=timezone.now, editable=False)

    history = HistoricalRecords(m2m_fields=[evidence])
    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__party__order", "organisation__order", "topic__order"]
        verbose_name = _("standpunkt")
        verbose_name_plural = _("standpunkter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "topic"], name="one_stance_per_cell"),
            models.CheckConstraint(
                condition=Q(value__in=["for", "partly", "against", "none"]), name="stance_value_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="stance_status_valid"
            ),
        ]
        permissions = [("publish_stance", _("Kan publisere standpunkter"))]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.topic}: {self.get_value_display()}"

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_stated(self) -> bool:
        return self.value != self.Value.NONE

    @property
    def summary_local(self) -> str:
        return in_language(self, "summary")


class Revision(models.Model):
    """A proposed change to published data, kept apart from it until a Redaktør publishes it.

    ``data`` holds the proposed values of every field the admin form edits, by field name, as the
    form cleaned them (a foreign key as its primary key, a many-to-many field as a sorted list of
    primary keys): any model and any field the form gains later is covered without code here.
    """

    # Not shown on the public site: writing one is no new data version (ruspolitikk.apps).
    is_public_data = False

    class State(models.TextChoices):
        PENDING = "pending", _("venter på gjennomgang")
        PUBLISHED = "published", _("publisert")
        DISCARDED = "discarded", _("forkastet")
        SUPERSEDED = "superseded", _("erstattet av et nyere forslag")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("type")
    )
    object_id = models.PositiveIntegerField(_("id"))
    data = models.JSONField(_("foreslåtte verdier"))
    changed_fields = models.JSONField(_("endrede felt"), default=list)
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices, default=State.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("foreslått av"),
    )
    proposed_at = models.DateTimeField(_("foreslått"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avgjort av"),
    )
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("forslag til endring")
        verbose_name_plural = _("forslag til endringer")
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "published", "discarded", "superseded"]),
                name="revision_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}: {self.target}"

    @property
    def target(self):
        """The published object this revision would change (None if it was deleted)."""
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first()

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING
