from django.db import models


class OrganisationQuerySet(models.QuerySet):
    def national(self):
        return self.filter(level="national")

    def branches(self):
        return self.exclude(level="national")

    def at_levels(self, levels):
        return self.filter(level__in=list(levels))
