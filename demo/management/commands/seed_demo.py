"""``manage.py seed_demo``: load the deterministic demo city (see the ``demo`` app)."""

from __future__ import annotations

import time

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from demo.city import DEFAULT_PASSWORD, DEFAULT_SEED, FIRST_YEAR, DemoOptions, DemoSummary
from demo.loading import analyze_statement
from demo.progress import Progress
from demo.seed import demo_data_exists, demo_reset, demo_seed
from demo.users import demo_secret_base32


class Command(BaseCommand):
    help = (
        "Load realistic, deterministic demo data (incidents since 2014, people, meetings, tasks, "
        "contacts, users)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Random seed (same seed, same day: same data).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the volume (10 = the SPEC §5 benchmark size).",
        )
        parser.add_argument(
            "--since", type=int, default=FIRST_YEAR, help="First year of data (default 2014)."
        )
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help="Password of every demo user."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any incident exists."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete existing demo data first (audit events stay).",
        )

    def handle(self, *args, **opts) -> None:
        options = self.options_checked(opts)
        started = time.monotonic()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # A page cache the size of the demo city (the default is 2 MB): the replay's
                # queries and the bulk inserts stay in memory.
                cursor.execute("PRAGMA cache_size = -262144")
        with transaction.atomic():  # a failed load leaves the previous data in place
            if demo_data_exists():
                if opts["if_empty"]:
                    self.stdout.write("Demo data not loaded: the database already holds incidents.")
                    return
                if not opts["reset"]:
                    raise CommandError(
                        "The database already holds incidents. Run with --reset to delete the "
                        "demo data and load it again, or with --if-empty to skip."
                    )
                self.stdout.write("Deleting existing demo data (audit events are kept)…")
                demo_reset()
            progress = Progress(self.stderr._out)
            summary = demo_seed(options, progress)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # After a bulk load: fresh planner statistics (10x: worksheet 40 s -> 6 s before
                # the query work) and the visibility map, so the worksheet's scans can be
                # index-only. VACUUM cannot run inside a transaction (a caller's atomic block, or
                # a test).
                cursor.execute(
                    analyze_statement() if connection.in_atomic_block else "VACUUM ANALYZE"
                )
        self.print_summary(summary, options, time.monotonic() - started)
        self.stdout.write("Phases: " + progress.summary())

    def options_checked(self, opts: dict) -> DemoOptions:
        today = timezone.localdate()
        if not 0.01 <= opts["scale"] <= 100:
            raise CommandError("--scale must be between 0.01 and 100.")
        if not 2000 <= opts["since"] <= today.year:
            raise CommandError(f"--since must be a year between 2000 and {today.year}.")
        try:
            password_validation.validate_password(opts["password"])
        except ValidationError as exc:
            raise CommandError(f"--password is too weak: {' '.join(exc.messages)}") from None
        return DemoOptions(
            today=today,
            seed=opts["seed"],
            scale=opts["scale"],
            since=opts["since"],
            password=opts["password"],
        )

    def print_summary(self, summary: DemoSummary, options: DemoOptions, seconds: float) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"Demo data loaded in {seconds:.1f} s (seed {options.seed}, scale "
                f"{options.scale:g}, as of {options.today})."
            )
        )
        out.write("")
        out.write(
            f"{'year':<6}{'homicide victims':>18}{'non-fatal injury victims':>26}"
            f"{'non-injury shootings':>22}"
        )
        totals = [0, 0, 0]
        for year, counts in summary.per_year.items():
            row = [
                counts["homicides"],
                counts["nonfatal_injury_shootings"],
                counts["non_injury_shootings"],
            ]
            totals = [a + b for a, b in zip(totals, row, strict=True)]
            suffix = " (to date)" if year == options.today.year else ""
            out.write(f"{year:<6}{row[0]:>18}{row[1]:>26}{row[2]:>22}{suffix}")
        out.write(f"{'total':<6}{totals[0]:>18}{totals[1]:>26}{totals[2]:>22}")
        out.write("(counted incidents only; victims counted per victim, identified or not)")
        out.write("")
        out.write("Rows: " + ", ".join(f"{name} {count:,}" for name, count in summary.rows.items()))
        out.write("")
        out.write("Demo users (one per role), all with the password: " + options.password)
        out.write(
            "Second step of sign-in: add the demo secret "
            + demo_secret_base32()
            + " to an authenticator app (the same for every demo user, demo data only), "
            "or print the current code with: python manage.py demo_code"
        )
        out.write(f"{'username':<20}{'role':<22}organisation")
        for username, role, organisation in summary.users:
            out.write(f"{username:<20}{role:<22}{organisation}")
