"""Per-user API tokens for integrations: shown once, stored hashed, expiring, scoped."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# A token is "cf_" + 8 characters of lookup prefix + 40 random characters (~240 bits). Only the
# prefix (to find the row) and the SHA-256 of the whole token are stored: a token this random needs
# no slow password hash (the same choice as django-rest-knox and GitHub's tokens).
TOKEN_PREFIX = "cf_"
LOOKUP_LENGTH = 8


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_generate() -> tuple[str, str]:
    """A new raw token and its lookup prefix."""
    lookup = secrets.token_urlsafe(6)[:LOOKUP_LENGTH]
    return f"{TOKEN_PREFIX}{lookup}{secrets.token_urlsafe(30)}", lookup


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'CMS sync'.")
    lookup = models.CharField(max_length=LOOKUP_LENGTH, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}{self.lookup}…)"

    @property
    def display_prefix(self) -> str:
        return f"{TOKEN_PREFIX}{self.lookup}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def writes(self) -> bool:
        return self.scope == self.Scope.WRITE
