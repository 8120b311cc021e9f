from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "ceasefire.core"
    label = "core"
    verbose_name = "Ceasefire core"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)


class CeasefireAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the role-based site (see ``core/admin.py``)."""

    default = False
    default_site = "ceasefire.core.admin_site.CeasefireAdminSite"
