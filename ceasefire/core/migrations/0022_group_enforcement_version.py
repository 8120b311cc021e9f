"""Groups and enforcement actions carry a ``version`` (issue 13): their edit and correction are
refused when stale, as conflicts' and tasks' are (``concurrency.save_versioned``). Adding columns
needs nothing of the data-version triggers: PostgreSQL keeps them through ``ALTER TABLE``; SQLite's
are put back after every ``migrate`` (``dataversion``).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0021_list_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='enforcementaction',
            name='updated_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name='enforcementaction',
            name='updated_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='enforcementaction',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='group',
            name='updated_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name='group',
            name='updated_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='group',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
