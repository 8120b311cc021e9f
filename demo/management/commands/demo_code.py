"""Print the demo authenticator's current code (the second step of signing in to the demo)."""

from django.core.management.base import BaseCommand

from demo.users import demo_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo users (demo data only)."

    def handle(self, *args, **options):
        self.stdout.write(demo_code())
