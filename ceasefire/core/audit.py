"""The audit service: every view of a person, every change, export, sign-in and refusal.

``audit_record`` appends one row to the hash chain (``AuditEvent.save`` serialises the writers, so
each row knows its predecessor's hash). A failure to write raises, and so fails the action it
records.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model

from .models import AuditEvent, Person
from .models.audit import GENESIS_HASH

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome

PERSON_TOKEN = re.compile(r"\{person:(\d+)\}")


def _people_named_by(obj: Model) -> list[Person]:
    """The person an object is, or the people its foreign keys point at."""
    if isinstance(obj, Person):
        return [obj]
    return [
        getattr(obj, f.name)
        for f in obj._meta.concrete_fields
        if f.is_relation and f.related_model is Person and getattr(obj, f.attname, None)
    ]


def object_label(obj: Model) -> str:
    """``str(obj)`` with every name of a person it is or points at replaced by ``{person:<id>}``
    (resolved at read time: ``resolved_labels``)."""
    if isinstance(obj, Person):
        return f"{{person:{obj.pk}}}"
    label = str(obj)
    for person in _people_named_by(obj):
        name = str(person)
        if name:
            label = label.replace(name, f"{{person:{person.pk}}}")
    return label[:300]


def resolved_labels(labels: Iterable[str]) -> dict[str, str]:
    """Each stored label as it reads today: ``{person:<id>}`` becomes the person's current name
    ("Purged person" after a purge; "person #<id>" when no such row). One query."""
    labels = set(labels)
    ids = {int(m) for label in labels for m in PERSON_TOKEN.findall(label or "")}
    names = {
        p.pk: str(p) for p in Person.objects.filter(pk__in=ids).only("first_name", "last_name")
    }
    return {
        label: PERSON_TOKEN.sub(lambda m: names.get(int(m[1]), f"person #{m[1]}"), label or "")
        for label in labels
    }


def client_ip(request) -> str | None:
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return ipaddress.ip_address(raw).compressed
    except ValueError:
        return None


def label_page(page):
    """A page of events, each with ``label_shown`` (its label resolved: ``resolved_labels``)."""
    page.object_list = list(page.object_list)
    labels = resolved_labels(e.object_label for e in page.object_list)
    for event in page.object_list:
        event.label_shown = labels[event.object_label]
    return page


def audit_record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    request=None,
    outcome: str = Outcome.SUCCESS,
) -> AuditEvent:
    """Append one audit event. ``obj`` fills type, id and label; or pass ``object_type`` and
    ``object_id``."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
        label = object_label(obj)
    else:
        label = ""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "anonymous")[:200],
        actor_role=(getattr(actor, "role", "") if authenticated else "")[:32],
        action=action,
        outcome=outcome,
        object_type=object_type[:100],
        object_id=str(object_id or "")[:64],
        object_label=label,
        # stored as it reads back, so the hash computed now is the one verified later
        detail=json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder)),
        ip_address=client_ip(request),
    )
    event.save()  # appended to the hash chain (AuditEvent.save)
    return event


def audit_view(request, *, obj: Model | None = None, object_type: str = "", **detail) -> AuditEvent:
    """The one VIEW event of a page or fragment: who looked at what (``people=[...]`` shown)."""
    return audit_record(
        actor=request.user,
        action=Action.VIEW,
        obj=obj,
        object_type=object_type,
        detail=detail,
        request=request,
    )


@dataclass(frozen=True)
class ChainBreak:
    seq: int | None
    problem: str

    def __str__(self) -> str:
        return f"row {self.seq}: {self.problem}" if self.seq else self.problem


def verify_chain(*, batch: int = 2000) -> ChainBreak | None:
    """The first row whose hash, predecessor or number is wrong; None when the chain holds."""
    expected_seq, prev_hash = 1, GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch):
        if event.seq != expected_seq:
            return ChainBreak(expected_seq, f"missing (the next row present is {event.seq})")
        if event.prev_hash != prev_hash:
            return ChainBreak(event.seq, "does not follow the row before it (changed or removed)")
        if event.compute_hash() != event.hash:
            return ChainBreak(event.seq, "its content does not match its hash (changed)")
        expected_seq, prev_hash = expected_seq + 1, event.hash
    return None
