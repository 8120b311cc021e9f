"""The audit log gains role, outcome, a gapless sequence and a hash chain; PostgreSQL triggers now
refuse UPDATE, DELETE and TRUNCATE.

Existing rows are numbered in id order and chained (the old trigger is dropped for that and the new
ones created after). TRUNCATE is allowed only to the table's owner with the session setting
``ceasefire.audit_maintenance = on`` (the test runner's flush of a test database); the application
role neither owns the table nor has the TRUNCATE privilege.
"""

from django.db import migrations, models

DROP_OLD_SQL = """
DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('ceasefire.audit_maintenance', true) = 'on'
       AND current_user = (SELECT tableowner FROM pg_tables
                           WHERE schemaname = current_schema() AND tablename = TG_TABLE_NAME)
    THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only();
"""

DROP_NEW_SQL = """
DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
"""

OLD_TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def chain_existing_rows(apps, schema_editor):
    from ceasefire.core.models.audit import GENESIS_HASH
    from ceasefire.core.models.audit import AuditEvent as Live

    AuditEvent = apps.get_model("core", "AuditEvent")
    prev = GENESIS_HASH
    for seq, row in enumerate(AuditEvent.objects.order_by("id").iterator(), start=1):
        live = Live(
            seq=seq,
            at=row.at,
            actor_id=row.actor_id,
            actor_label=row.actor_label,
            actor_role="",
            action=row.action,
            outcome="success",
            object_type=row.object_type,
            object_id=row.object_id,
            object_label=row.object_label,
            detail=row.detail,
            ip_address=row.ip_address,
            prev_hash=prev,
        )
        prev = live.compute_hash()
        AuditEvent.objects.filter(pk=row.pk).update(seq=seq, prev_hash=live.prev_hash, hash=prev)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_partnership_settings_row")]

    operations = [
        migrations.RunPython(_on_postgresql(DROP_OLD_SQL), _on_postgresql(OLD_TRIGGER_SQL)),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="core.user",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "View"),
                    ("create", "Create"),
                    ("change", "Change"),
                    ("delete", "Delete"),
                    ("export", "Export"),
                    ("login", "Login"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logout"),
                    ("lockout", "Account locked"),
                    ("unlock", "Account unlocked"),
                    ("mfa_enrol", "Second factor enrolled"),
                    ("mfa_verify", "Second factor passed"),
                    ("mfa_failed", "Second factor failed"),
                    ("mfa_reset", "Second factor reset"),
                    ("password_change", "Password changed"),
                    ("password_reset_request", "Password reset requested"),
                    ("password_reset", "Password reset"),
                    ("session_expired", "Session expired"),
                    ("role_change", "Role or organisation changed"),
                    ("disable", "Account disabled"),
                    ("refused", "Access refused"),
                ],
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_role",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="outcome",
            field=models.CharField(
                choices=[("success", "Success"), ("failure", "Failure"), ("refused", "Refused")],
                default="success",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
        migrations.RunPython(_on_postgresql(TRIGGER_SQL), _on_postgresql(DROP_NEW_SQL)),
    ]
