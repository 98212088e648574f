"""Reusable reads. Published vs draft is decided here, not in views."""

from django.db import models


class StatementManager(models.Manager):
    """Never loads ``search_vector``: only PostgreSQL's search reads it, in SQL."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def uncertain(self):
        return self.filter(confidence="uncertain")

    def as_quotes(self):
        """What a quote shows: the statement with its source's title, date and kind. Never the
        source's full text (kilobytes a quote: 9.5 KB on average at national size), the build's
        bookkeeping or the publication stamp: not reading them saves a tenth of a grid read."""
        return self.select_related("source").defer(
            "published_at",
            "source__text",
            "source__note",
            "source__seed_file",
            "source__seed_start",
            "source__seed_end",
            "source__text_sha256",
            "source__created_at",
        )


class StanceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")
