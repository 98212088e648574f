from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValgomatConfig(AppConfig):
    name = "valgomat"
    verbose_name = _("Valgomat")

    def ready(self):
        from django.core import signals

        from ruspolitikk.pagecache import data_committed

        from . import warming

        signals.request_started.connect(warming.request_started, dispatch_uid="valgomat-warming")
        data_committed.connect(warming.data_committed, dispatch_uid="valgomat-warming")
        signals.request_finished.connect(warming.request_finished, dispatch_uid="valgomat-warming")
