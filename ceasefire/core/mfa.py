"""The second factor (django-otp): an authenticator app (TOTP) with one-time recovery codes.

Enrolment keeps the new secret in the session until the first code proves the app holds it; only
then are the TOTP device and the recovery codes saved. Passing the second step records the device
in the session (``django_otp.login``); the gate in ``middleware`` reads that mark. Enrolling and
resetting a factor end the user's other sessions (``sessions.end_all_sessions``).
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .audit import Action, Outcome, audit_record
from .sessions import end_all_sessions

PENDING_KEY = "mfa_pending_key"
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def is_verified(request) -> bool:
    """The session passed the second step (the mark ``django_otp.login`` leaves)."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def has_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_secret(request) -> str:
    """The secret offered for enrolment (hex), kept in the session until confirmed."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = default_key()
    return key


def secret_base32(key: str) -> str:
    return b32encode(unhexlify(key)).decode()


def provisioning_uri(user, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG QR code (no inline style, CSP-safe)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, svgclass="qr", lineclass=None)


def _code_matches(key: str, token: str) -> bool:
    totp = TOTP(unhexlify(key))
    try:
        return totp.verify(int(token), tolerance=1)
    except ValueError:
        return False


@transaction.atomic
def enrol(*, request, token: str) -> list[str] | None:
    """Confirm enrolment with the app's first code; return the recovery codes (shown once), or
    None when the code is wrong (audited)."""
    user = request.user
    key = request.session.get(PENDING_KEY)
    token = (token or "").strip().replace(" ", "")
    if not key or not _code_matches(key, token):
        audit_record(
            actor=user,
            action=Action.MFA_FAILED,
            object_type="core.user",
            object_id=user.pk,
            detail={"step": "enrol"},
            outcome=Outcome.FAILURE,
            request=request,
        )
        return None
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=TOTP_NAME, key=key, confirmed=True)
    device.full_clean()
    device.save()
    codes = _new_recovery_codes(user)
    del request.session[PENDING_KEY]
    otp_login(request, device)
    end_all_sessions(user)
    update_session_auth_hash(request, user)  # this session lives on
    audit_record(
        actor=user, action=Action.MFA_ENROL, obj=user, detail={"device": TOTP_NAME}, request=request
    )
    return codes


def _new_recovery_codes(user) -> list[str]:
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify(*, request, token: str) -> bool:
    """The second step: a code from the app or a recovery code (each works once). django-otp
    throttles repeated failures (each failure doubles the wait)."""
    user = request.user
    token = (token or "").strip().replace(" ", "").lower()
    device = None
    if token:
        for candidate in (
            *TOTPDevice.objects.filter(user=user, confirmed=True),
            *StaticDevice.objects.filter(user=user, confirmed=True),
        ):
            with transaction.atomic():
                if candidate.verify_token(token):
                    device = candidate
                    break
    with transaction.atomic():
        if device is None:
            audit_record(
                actor=user,
                action=Action.MFA_FAILED,
                object_type="core.user",
                object_id=user.pk,
                detail={"step": "verify"},
                outcome=Outcome.FAILURE,
                request=request,
            )
            return False
        otp_login(request, device)
        audit_record(
            actor=user,
            action=Action.MFA_VERIFY,
            obj=user,
            detail={"device": device.name, "recovery_code": isinstance(device, StaticDevice)},
            request=request,
        )
    return True


@transaction.atomic
def reset_factor(*, actor, user, request=None) -> None:
    """An administrator removes a user's second factor: the user enrols again at next sign-in,
    and every session of theirs ends now."""
    removed = TOTPDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_all_sessions(user)
    audit_record(
        actor=actor, action=Action.MFA_RESET, obj=user, detail={"devices": removed}, request=request
    )
