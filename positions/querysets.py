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


class StanceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")
