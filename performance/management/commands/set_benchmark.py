"""``python manage.py set_benchmark --indicator homicides --year 2017 --target 72``"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from performance import selectors, services


class Command(BaseCommand):
    help = "Set an indicator's annual benchmark (target) for a year."

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator", required=True, choices=[str(i) for i in selectors.BENCHMARKED_INDICATORS]
        )
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--target", required=True, type=int)

    def handle(self, *args, **options):
        if options["target"] < 0:
            raise CommandError("The target cannot be negative.")
        try:
            benchmark = services.benchmark_set(
                indicator=options["indicator"],
                year=options["year"],
                annual_target=options["target"],
                user=None,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        label = benchmark.get_indicator_display()
        self.stdout.write(f"{label} {benchmark.year}: annual target {benchmark.annual_target}")
