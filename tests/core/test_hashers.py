"""Passwords are stored with Argon2id at documented parameters; older PBKDF2 hashes still sign
in and are upgraded at that sign-in. (The rest of the suite uses a fast hasher.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

from ceasefire import settings as project_settings
from ceasefire.core.models import User

pytestmark = pytest.mark.django_db
PASSPHRASE = "a long enough passphrase"


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_with_owasp_parameters(real_hashers):
    encoded = make_password(PASSPHRASE)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSPHRASE, encoded)


def test_a_pbkdf2_password_signs_in_and_is_rehashed(real_hashers, orgs):
    user = User.objects.create(username="legacy", role="police_viewer", organisation=orgs["police"])
    User.objects.filter(pk=user.pk).update(
        password=make_password(PASSPHRASE, hasher="pbkdf2_sha256")
    )
    response = Client().post(reverse("login"), {"username": "legacy", "password": PASSPHRASE})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
