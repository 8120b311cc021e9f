"""The partnership's one settings row exists from the start (it used to be made on first read).

``PartnershipSettings.load()`` only reads; pages that show settings (a GET) write nothing.
Backwards it leaves the row in place.
"""

from django.db import migrations


def create_settings_row(apps, schema_editor):
    PartnershipSettings = apps.get_model("core", "PartnershipSettings")
    PartnershipSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_incident_victim_counts"),
    ]

    operations = [
        migrations.RunPython(create_settings_row, migrations.RunPython.noop, elidable=True),
    ]
