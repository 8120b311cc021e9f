"""Who signs in to the demo city: one user per role, named here once.

The rest of the generator refers to these users by the constants below, never by spelling a
username (several usernames are also role names, which would read as an access decision).
"""

from __future__ import annotations

from ceasefire.core.models import Role

ADMIN = "admin"
AUDITOR = "auditor"
FACILITATOR = "facilitator"
POLICE_VIEWER = "police_viewer"
PARTNER_LEAD = "partner_lead"
CASE_MANAGER = "case_manager"
COMMUNITY_PARTNER = "community_partner"
EXECUTIVE = "executive"

# username, role, organisation key, first name, last name
DEMO_USERS = [
    (ADMIN, Role.ADMIN, "mayor", "Alex", "Admin"),
    (AUDITOR, Role.AUDITOR, "mayor", "Avery", "Auditor"),
    (FACILITATOR, Role.POLICE_FACILITATOR, "police", "Felicia", "Ortega"),
    (POLICE_VIEWER, Role.POLICE_VIEWER, "police", "Victor", "Lam"),
    (PARTNER_LEAD, Role.PARTNER_LEAD, "hsd", "Patricia", "Nguyen"),
    (CASE_MANAGER, Role.PARTNER_STAFF, "life_coaches", "Carl", "Mendoza"),
    (COMMUNITY_PARTNER, Role.COMMUNITY_PARTNER, "faith", "Reverend Grace", "Holloway"),
    (EXECUTIVE, Role.EXECUTIVE, "mayor", "Elaine", "Booker"),
]

# The demo's second factor: every demo user is pre-enrolled with this TOTP secret (hex, as
# django-otp stores it). Demo data only: production users enrol their own authenticator.
DEMO_TOTP_KEY = "64656d6f2d63656173656669726531323334353637"


def demo_secret_base32() -> str:
    from base64 import b32encode
    from binascii import unhexlify

    return b32encode(unhexlify(DEMO_TOTP_KEY)).decode()


def demo_code() -> str:
    """The demo authenticator's current code."""
    from binascii import unhexlify

    from django_otp.oath import TOTP

    return f"{TOTP(unhexlify(DEMO_TOTP_KEY)).token():06d}"
