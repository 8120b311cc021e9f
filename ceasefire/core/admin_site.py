"""The admin site, in its own module so that Django can load it before any ModelAdmin registers."""

from django.contrib import admin

from .permissions import has_capability


class CeasefireAdminSite(admin.AdminSite):
    """The admin is for the ``admin`` role (not Django's is_staff flag): users, organisations,
    benchmarks, settings."""

    site_header = "Ceasefire cycle administration"
    site_title = "Ceasefire cycle"
    index_title = "Users, organisations, benchmarks and settings"

    def has_permission(self, request):
        return has_capability(request.user, "admin.manage")
