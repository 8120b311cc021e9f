"""The Django admin: users, organisations, benchmarks, units and settings only.

Person and intelligence data stay out of it (SPEC §2: the admin role has none): no person,
incident, group or designation model is registered, and neither are django-otp's devices (their
secrets). The audit log is not here either: auditors read it at /audit/ (it names people).

Every create, change and delete is an audit event (beside Django's own admin log, which auditors
cannot see). Roles are granted, not taken: nobody changes their own role, organisation, active or
staff flags, and every change of a user's role or organisation is audited with before and after.
"""

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import mfa
from .audit import Action, audit_record
from .models import Benchmark, Organisation, PartnershipSettings, Unit, User
from .permissions import has_capability, may_change_account_flags
from .sessions import end_all_sessions


class RoleAdmin(admin.ModelAdmin):
    """Every registered model is fully editable by the admin role and by nobody else; every
    write is audited in the admin's own transaction."""

    def has_module_permission(self, request):
        return has_capability(request.user, "admin.manage")

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, "admin.manage")

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, "admin.manage")

    def has_delete_permission(self, request, obj=None):
        return has_capability(request.user, "admin.manage")

    def log_addition(self, request, obj, message):
        audit_record(
            actor=request.user,
            action=Action.CREATE,
            obj=obj,
            detail={"admin_site": True, "change": _message(message)},
            request=request,
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(
            actor=request.user,
            action=Action.CHANGE,
            obj=obj,
            detail={"admin_site": True, "change": _message(message)},
            request=request,
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_record(
                actor=request.user,
                action=Action.DELETE,
                obj=obj,
                detail={"admin_site": True},
                request=request,
            )
        return super().log_deletions(request, queryset)


def _message(message) -> list | str:
    return message if isinstance(message, list | str) else str(message)


ACCOUNT_FLAGS = ("role", "organisation", "is_active", "is_staff", "is_superuser")
AUDITED_FIELDS = ("role", "organisation_id", "is_active", "is_staff", "is_superuser")


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
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Partnership", {"fields": ("organisation", "role")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Partnership", {"fields": ("organisation", "role")}),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["reset_second_factor", "unlock_sign_in"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not may_change_account_flags(request.user, obj):
            return (*fields, *ACCOUNT_FLAGS)
        return fields

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values(*AUDITED_FIELDS).first() if change else {}
        after = {name: getattr(obj, name) for name in AUDITED_FIELDS}
        changed = {k for k in AUDITED_FIELDS if before and before[k] != after[k]}
        if changed and not may_change_account_flags(request.user, obj):
            raise PermissionDenied("Nobody changes their own role, organisation or status.")
        super().save_model(request, obj, form, change)
        if changed or (not change and obj.role):
            audit_record(
                actor=request.user,
                action=Action.ROLE_CHANGE,
                obj=obj,
                detail={
                    "before": {k: before.get(k) for k in sorted(changed)} if change else {},
                    "after": {k: after[k] for k in (sorted(changed) if change else AUDITED_FIELDS)},
                },
                request=request,
            )
        if change and "is_active" in changed and not obj.is_active:
            end_all_sessions(obj)

    @admin.action(description="Reset the second factor (they enrol again at next sign-in)")
    def reset_second_factor(self, request, queryset):
        with transaction.atomic():
            for user in queryset:
                mfa.reset_factor(actor=request.user, user=user, request=request)
        self.message_user(request, f"Second factor reset for {len(queryset)} user(s).")

    @admin.action(description="Unlock sign-in after too many failed attempts")
    def unlock_sign_in(self, request, queryset):
        with transaction.atomic():
            for user in queryset:
                removed = axes_reset(username=user.get_username())
                audit_record(
                    actor=request.user,
                    action=Action.UNLOCK,
                    obj=user,
                    detail={"attempts_cleared": removed},
                    request=request,
                )
        self.message_user(request, f"Sign-in unlocked for {len(queryset)} user(s).", messages.INFO)


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


def _unregister_device_admins() -> None:
    """django-otp registers its devices (with their secrets) on the admin, and Django its
    permission groups (roles replace them here); keep them out."""
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice, Group):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_device_admins()
