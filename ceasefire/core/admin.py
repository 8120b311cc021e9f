"""The Django admin: users, organisations, benchmarks, units and settings only.

Person and intelligence data stay out of it (SPEC §2: the admin role has none).
The audit log is not here either: auditors read it at /audit/ (it names people).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Benchmark, Organisation, PartnershipSettings, Unit, User
from .permissions import has_capability


class RoleAdmin(admin.ModelAdmin):
    """Every registered model is fully editable by the admin role and by nobody else."""

    def has_module_permission(self, request):
        return has_capability(request.user, "admin.manage")

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, "admin.manage")

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, "admin.manage")

    def has_delete_permission(self, request, obj=None):
        return has_capability(request.user, "admin.manage")


@admin.register(User)
class UserAdmin(RoleAdmin, BaseUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "organisation", "is_active")
    list_select_related = ("organisation",)
    fieldsets = (*BaseUserAdmin.fieldsets, ("Partnership", {"fields": ("organisation", "role")}))
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Partnership", {"fields": ("organisation", "role")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(RoleAdmin):
    list_display = ("name", "kind", "email", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)


@admin.register(Benchmark)
class BenchmarkAdmin(RoleAdmin):
    list_display = ("indicator", "year", "annual_target", "set_by", "set_at")
    list_filter = ("indicator", "year")
    readonly_fields = ("set_by", "set_at")


@admin.register(Unit)
class UnitAdmin(RoleAdmin):
    list_display = ("name", "kind", "organisation")


@admin.register(PartnershipSettings)
class PartnershipSettingsAdmin(RoleAdmin):
    def has_add_permission(self, request):
        return (
            has_capability(request.user, "admin.manage")
            and not PartnershipSettings.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False
