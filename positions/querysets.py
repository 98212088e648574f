"""Reusable reads. Published vs draft is decided here, not in views."""

from django.db import models


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def uncertain(self):
        return self.filter(confidence="uncertain")


class StanceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")
