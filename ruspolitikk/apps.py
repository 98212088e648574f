from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin with our site (``ruspolitikk.admin_site``), which refuses tampered input."""

    default_site = "ruspolitikk.admin_site.AdminSite"
