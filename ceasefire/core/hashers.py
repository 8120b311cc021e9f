"""The password hasher: Argon2id with documented parameters (OWASP ASVS 2.4 / OWASP's password
storage cheat sheet: m=19 MiB, t=2, p=1). Django's own Argon2 hasher defaults to 100 MiB and 8
lanes, which on a two-core server makes every sign-in wait; these parameters are the recommended
minimum and cost about 50 ms a check."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, 19 MiB of memory, 2 passes, 1 lane. A hash made with other parameters (or with
    PBKDF2) still checks, and Django rehashes it with these at the next successful sign-in."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
