"""Reusable reads. Published vs draft is decided here, not in views."""

from django.db import models


class StatementManager(models.Manager):
    """Never loads ``search_vector``: only PostgreSQL's search reads it, in SQL."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


# A source's fields no page that lists or quotes sources shows: its full text (kilobytes a source:
# 9.5 KB on average at national size), the editors' note and the build's bookkeeping.
SOURCE_UNSHOWN = ("text", "note", "seed_file", "seed_start", "seed_end", "text_sha256", "created_at")


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def uncertain(self):
        return self.filter(confidence="uncertain")

    def as_quotes(self):
        """What a quote shows: the statement with its source's title, date and kind. Never what
        ``SOURCE_UNSHOWN`` names or the publication stamp: not reading them saves a tenth of a grid
        read."""
        return self.select_related("source").defer(
            "published_at", *(f"source__{name}" for name in SOURCE_UNSHOWN)
        )


class StanceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")
