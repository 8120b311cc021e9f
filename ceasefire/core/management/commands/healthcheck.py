"""``manage.py healthcheck [CHECK ...]``: the readiness checks of ``/health/ready/`` from a shell
(docker-compose's healthcheck for beat and the worker: no HTTP server there). Prints the JSON;
exits 1 when a check fails."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ceasefire.core.health import CHECKS, OK, run_checks


class Command(BaseCommand):
    help = "Run the readiness checks (database, redis, worker, media); exit 1 on a failure."
    requires_system_checks = []  # a container healthcheck every minute: answer, do not audit

    def add_arguments(self, parser):
        parser.add_argument("checks", nargs="*", help=f"only these, of {', '.join(CHECKS)}")

    def handle(self, *args, checks: list[str], **options):
        unknown = sorted(set(checks) - set(CHECKS))
        if unknown:
            raise CommandError(f"unknown checks {unknown}; known: {sorted(CHECKS)}")
        healthy, results = run_checks(checks or None)
        self.stdout.write(json.dumps({"status": OK if healthy else "fail", "checks": results}))
        if not healthy:
            sys.exit(1)
