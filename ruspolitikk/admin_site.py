"""The admin site: Django's, with ``StrictInputAdmin`` mixed into every model admin registered.

The libraries register their own admins (auth's users and groups, django-axes' login
attempts); mixing the guards in at registration covers them too, and any admin added later,
without each one having to remember it.
"""

from django.contrib import admin

from .admin_input import StrictInputAdmin


class AdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, StrictInputAdmin):
            admin_class = type(
                admin_class.__name__,
                (StrictInputAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
