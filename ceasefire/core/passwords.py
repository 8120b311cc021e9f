"""Password rules beyond Django's own (ASVS 2.1): an upper length limit, and a breached-password
list the deployment supplies (``BREACHED_PASSWORDS_FILE``: one password a line, plain or gzipped,
e.g. an export of a breach corpus). Django's ``CommonPasswordValidator`` (20,000 passwords taken
from breach corpora) always applies; this adds the larger list when one is configured."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self):
        return f"Your password can be up to {self.max_length} characters long."


@cache
def _breached(path: str) -> CommonPasswordValidator:
    return CommonPasswordValidator(password_list_path=path)


class BreachedPasswordValidator:
    def validate(self, password, user=None):
        path = settings.BREACHED_PASSWORDS_FILE
        if not path:
            return
        try:
            _breached(path).validate(password, user)
        except ValidationError:
            raise ValidationError(
                "This password appears in a list of breached passwords; choose another.",
                code="password_breached",
            ) from None

    def get_help_text(self):
        return "Your password cannot be one that appears in known breaches."
