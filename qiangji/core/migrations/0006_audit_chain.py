"""The audit hash chain (core.AuditSeal, ADR 0004) and append-only triggers for it; SQLite now refuses
DELETE on the audit log too (migration 0002 refused only UPDATE there).

The test suite's flush empties these tables another way: on PostgreSQL by TRUNCATE (not a row
operation), on SQLite by dropping the DELETE triggers around its DELETEs (qiangji/conftest.py,
tests only; `qiangji.core.audit.sqlite_flush_statements`).
"""

from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditseal_no_update BEFORE UPDATE ON core_auditseal
       BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditseal_no_delete BEFORE DELETE ON core_auditseal
       BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditseal_no_update;",
    "DROP TRIGGER IF EXISTS core_auditseal_no_delete;",
]
POSTGRES = [
    # the function of migration 0002 raises for any row operation
    """CREATE TRIGGER core_auditseal_append_only BEFORE UPDATE OR DELETE ON core_auditseal
       FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();""",
]
POSTGRES_REVERSE = ["DROP TRIGGER IF EXISTS core_auditseal_append_only ON core_auditseal;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_workday_override"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(unique=True, verbose_name="序号")),
                ("entry_id", models.BigIntegerField(unique=True, verbose_name="审计记录编号")),
                ("algorithm", models.CharField(max_length=10, verbose_name="摘要算法")),
                ("entry_hash", models.CharField(max_length=64, verbose_name="记录摘要")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="上一环摘要")),
                ("chain_hash", models.CharField(max_length=64, verbose_name="本环摘要")),
                ("sealed_at", models.DateTimeField(auto_now_add=True, verbose_name="封存时间")),
            ],
            options={
                "verbose_name": "审计链环",
                "verbose_name_plural": "审计哈希链",
                "ordering": ["seq"],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
