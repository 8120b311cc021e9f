"""Ending every session of a user at once.

Django checks each session against ``User.get_session_auth_hash()``; ours mixes in
``User.session_epoch``, so a new epoch invalidates every session of that user wherever it lives
(database, cache), with no table scan. Sign-out, deactivation, a password or factor change and a
factor reset all call ``end_all_sessions``.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model


def end_all_sessions(user) -> None:
    user.session_epoch = secrets.token_hex(16)
    get_user_model().objects.filter(pk=user.pk).update(session_epoch=user.session_epoch)
