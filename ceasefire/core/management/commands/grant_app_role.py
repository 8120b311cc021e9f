"""Give the application's database role what it needs and no more (PostgreSQL).

Run as the owner of the tables (the role that runs ``migrate``) after every migration:
``python manage.py grant_app_role ceasefire_app``. The application role reads and writes every
table, but on the audit log it may only SELECT and INSERT: no UPDATE, DELETE or TRUNCATE, and as it
owns nothing it cannot drop or disable the log's triggers.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ceasefire.core.models import AuditEvent


class Command(BaseCommand):
    help = "Grant the application DB role table access; only SELECT/INSERT on the audit log."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's database role, e.g. ceasefire_app")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL deployments.")
        quoted = connection.ops.quote_name(role)
        audit = connection.ops.quote_name(AuditEvent._meta.db_table)
        statements = [
            f"GRANT USAGE ON SCHEMA public TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {audit} FROM {quoted}",
        ]
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        self.stdout.write(self.style.SUCCESS(f"{role}: tables granted; audit log insert-only."))
