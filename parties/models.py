"""Who speaks: parties and the organisations (national party, branches, youth wings) within them."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import OrganisationQuerySet


class Party(models.Model):
    name = models.CharField(_("navn"), max_length=100, unique=True)
    short_name = models.CharField(_("kortnavn"), max_length=20)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    colour = models.CharField(
        _("offisiell farge"),
        max_length=7,
        validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Bruk formen #RRGGBB."))],
        help_text=_("Partiets profilfarge, #RRGGBB. Vises aldri alene som bærer av mening."),
    )
    website = models.URLField(_("nettsted"), blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("parti")
        verbose_name_plural = _("partier")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A body that speaks for a party: the national party itself, or a branch of it."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("nasjonalt")
        COUNTY = "county", _("fylkeslag")
        MUNICIPAL = "municipal", _("lokallag")
        YOUTH = "youth", _("ungdomsparti")

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("parti")
    )
    name = models.CharField(_("navn"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    level = models.CharField(_("nivå"), max_length=10, choices=Level.choices)
    region = models.CharField(
        _("område"), max_length=100, blank=True, help_text=_("Fylke eller kommune for lokallag.")
    )
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["party__order", "order", "name"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["national", "county", "municipal", "youth"]),
                name="organisation_level_valid",
            ),
            models.UniqueConstraint(
                fields=["party"],
                condition=models.Q(level="national"),
                name="one_national_organisation_per_party",
            ),
        ]
        # Every page of the grid reads by level: a page of one level (thousands of branches) and the
        # parties and youth wings its filter form offers (a few dozen of 3,000 organisations).
        indexes = [models.Index(fields=["level"], name="organisation_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.level == self.Level.NATIONAL
