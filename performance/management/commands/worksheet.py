"""``python manage.py worksheet --period 2017-02..2017-03 --format json|pdf --output FILE``

Prints (JSON) or writes (JSON or PDF) the worksheet of a period, computed now from the records,
with the trend notes of the period's latest version. The JSON is the stable contract in the README.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from performance import selectors
from performance.indicators import Period
from performance.pdf import worksheet_pdf_render


class Command(BaseCommand):
    help = "Print or write the indicator worksheet of a period as JSON or PDF."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            required=True,
            help="YYYY-MM..YYYY-MM, e.g. 2017-02..2017-03 (months of one year).",
        )
        parser.add_argument("--format", choices=["json", "pdf"], default="json")
        parser.add_argument(
            "--output",
            help="File to write (required for PDF; JSON goes to standard output without it).",
        )

    def handle(self, *args, **options):
        try:
            period = Period.parse(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "pdf" and not options["output"]:
            raise CommandError("Give --output FILE for a PDF.")
        snapshot = selectors.worksheet_live(period)
        if options["format"] == "json":
            text = json.dumps(snapshot, indent=2, ensure_ascii=False)
            if options["output"]:
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
                self.stderr.write(f"Wrote {options['output']}")
            else:
                self.stdout.write(text)
            return
        pdf = worksheet_pdf_render(snapshot=snapshot, version=None, generated_at=timezone.now())
        Path(options["output"]).write_bytes(pdf)
        self.stderr.write(f"Wrote {options['output']} ({len(pdf):,} bytes)")
