from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValgomatConfig(AppConfig):
    name = "valgomat"
    verbose_name = _("Valgomat")
