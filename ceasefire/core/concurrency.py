"""Optimistic locking for records two people may edit at once.

The form carries the ``version`` it was loaded at; the save is an atomic
``UPDATE ... WHERE version = <loaded>``. If someone saved in between, nothing is
written and :class:`ConcurrentEditError` says who changed it and when.
"""

from __future__ import annotations

from django.db.models import F, Model
from django.utils import timezone
from django.utils.formats import time_format


class ConcurrentEditError(Exception):
    def __init__(self, instance: Model):
        current = type(instance).objects.select_related("updated_by").filter(pk=instance.pk).first()
        self.current = current
        who = str(current.updated_by) if current and current.updated_by else "someone else"
        when = time_format(timezone.localtime(current.updated_at), "H:i") if current else "just now"
        self.message = (
            f"This record was changed by {who} at {when} — reload to see their changes, "
            "then make yours again."
        )
        super().__init__(self.message)


def save_versioned(instance: Model, *, expected_version: int, user, fields: list[str]) -> Model:
    """Write ``fields`` only if the stored version is still ``expected_version``.

    Call inside ``transaction.atomic`` after ``full_clean()``. Bumps ``version``.
    """
    now = timezone.now()
    values = {name: getattr(instance, instance._meta.get_field(name).attname) for name in fields}
    values.update(version=F("version") + 1, updated_at=now, updated_by=user)
    updated = (
        type(instance).objects.filter(pk=instance.pk, version=expected_version).update(**values)
    )
    if updated != 1:
        raise ConcurrentEditError(instance)
    instance.version = expected_version + 1
    instance.updated_at = now
    instance.updated_by = user
    return instance
