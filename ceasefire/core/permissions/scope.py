"""Readers who read alike: what every rule in this package decides a reading by, as one key."""

from __future__ import annotations

import hashlib

from ..dataversion import queryset_key
from .coordination import coordination_tasks_visible_to
from .meetings import meetings_visible_to
from .people import people_visible_to
from .roles import _active
from .tasks import tasks_visible_to


def reader_scope(user) -> str:
    """A digest of the facts this package decides what ``user`` may read by: whether they are
    active, their role and organisation, and the rows its scoping rules give them (people,
    tasks, coordination tasks, meetings) as SQL with its parameters -- so a rule that names the
    user (a partner's own tasks, the agendas a community partner attends) gives that user a
    scope of their own.

    Two readers with one scope are shown the same page by every rule that reads only these
    facts (capabilities are the role's; intelligence is the role's and the organisation's), so a
    page rendered for one may be shared with the other (``ceasefire.core.fragments``). A rule
    that compares an object with the user (``can_change_task``: the task's assignee) must not be
    decided inside a shared render."""
    active = _active(user)
    parts = [
        active,
        getattr(user, "role", None) if active else None,
        getattr(user, "organisation_id", None) if active else None,
    ]
    if active:
        for rows in (
            people_visible_to(user),
            tasks_visible_to(user),
            coordination_tasks_visible_to(user),
            meetings_visible_to(user),
        ):
            parts.append(queryset_key(rows))
    return hashlib.blake2s(repr(parts).encode(), digest_size=10).hexdigest()
