"""Every shooting review has its summary row (the review page used to create it on read).

``review_create`` makes the summary with the review; this creates it for reviews made before
that, so opening a past review writes nothing. Backwards it leaves the rows in place.
"""

from django.db import migrations


def create_missing_summaries(apps, schema_editor):
    Meeting = apps.get_model("core", "Meeting")
    ReviewSummary = apps.get_model("reviews", "ReviewSummary")
    missing = Meeting.objects.filter(kind="shooting_review", review_summary__isnull=True)
    ReviewSummary.objects.bulk_create(
        [ReviewSummary(meeting_id=pk) for pk in missing.values_list("pk", flat=True).iterator()],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_missing_summaries, migrations.RunPython.noop, elidable=True),
    ]
