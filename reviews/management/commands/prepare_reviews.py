"""Bring every open shooting review's agenda up to date with the shootings logged in its window."""

from django.core.management.base import BaseCommand

from reviews.services import reviews_prepare_open


class Command(BaseCommand):
    help = (
        "Add the shootings logged in their windows to the agenda of every shooting review "
        "that is not closed."
    )

    def handle(self, *args, **options):
        added = reviews_prepare_open()
        self.stdout.write(
            f"{sum(added.values())} shooting(s) added to {len(added)} open review(s)."
        )
