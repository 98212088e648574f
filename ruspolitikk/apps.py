from django.apps import AppConfig, apps
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class AdminConfig(DjangoAdminConfig):
    """Django's admin with our site (``ruspolitikk.admin_site``), which refuses tampered input."""

    default_site = "ruspolitikk.admin_site.AdminSite"


class SiteConfig(AppConfig):
    """The site as a whole: keeps the page cache in step with the public data."""

    name = "ruspolitikk"
    verbose_name = "Ruspolitikk"
    # Apps whose rows the public pages show: any write to them is a new data version.
    public_data_apps = ("parties", "positions")

    def ready(self):
        from .pagecache import data_changed_receiver

        for app_label in self.public_data_apps:
            for model in apps.get_app_config(app_label).get_models():
                if not getattr(model, "is_public_data", True):
                    continue  # e.g. a pending revision: the public pages never read it
                for signal in (post_save, post_delete):
                    uid = f"pagecache-{signal}-{model}"
                    signal.connect(data_changed_receiver, sender=model, dispatch_uid=uid)
                for field in model._meta.many_to_many:
                    m2m_changed.connect(
                        data_changed_receiver,
                        sender=field.remote_field.through,
                        dispatch_uid=f"pagecache-m2m-{model}-{field.name}",
                    )
