"""The audit hash chain (ADR 0004): sealing, verification finding a changed or deleted entry, and the
append-only triggers on both databases (SQLite refuses DELETE too)."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from qiangji.core import audit
from qiangji.core.models import AuditEntry, AuditSeal


def _record(world, n=3, action="test.done"):
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(
                audit.record(
                    actor=world.users["xian"],
                    action=action,
                    target=world.member,
                    org=world.branch,
                    after={"i": i, "name": "张三"},
                )
            )
    return entries


def _raw(sql, params=()):
    """Raw SQL as another client would, past the triggers (dropped and restored around it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, _sql in audit.SQLITE_DELETE_TRIGGERS.values():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")
            try:
                cursor.execute(sql, params)
            finally:
                for _name, create in audit.SQLITE_DELETE_TRIGGERS.values():
                    cursor.execute(create)
                cursor.execute(
                    "CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
                    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
                )
        else:
            cursor.execute("SET session_replication_role = replica")  # a superuser's way past triggers
            try:
                cursor.execute(sql, params)
            finally:
                cursor.execute("SET session_replication_role = origin")


@pytest.mark.django_db
class TestChain:
    def test_entries_are_linked_in_order_and_verify(self, world):
        entries = _record(world)
        assert audit.seal_all() == AuditEntry.objects.count()
        seals = list(AuditSeal.objects.order_by("seq"))
        assert [s.seq for s in seals] == list(range(1, len(seals) + 1))
        assert seals[0].prev_hash == audit.GENESIS
        for before, after in zip(seals, seals[1:], strict=False):
            assert after.prev_hash == before.chain_hash
        assert {s.entry_id for s in seals} >= {e.pk for e in entries}
        assert all(s.algorithm == "sm3" and len(s.chain_hash) == 64 for s in seals)
        checked, problems = audit.verify()
        assert checked == len(seals) and problems == []
        assert audit.seal_all() == 0  # idempotent

    def test_sm3_is_the_standard_digest(self):
        # GB/T 32905 test vector: SM3("abc")
        assert (
            audit.digest("sm3", b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        )

    def test_algorithm_by_setting_and_mixed_chains_verify(self, world, settings):
        _record(world, 2)
        audit.seal_all()
        settings.QIANGJI_AUDIT_HASH = "sha256"
        _record(world, 2)
        audit.seal_all()
        algorithms = list(AuditSeal.objects.order_by("seq").values_list("algorithm", flat=True))
        assert "sm3" in algorithms and algorithms[-1] == "sha256"
        assert audit.verify()[1] == []
        settings.QIANGJI_AUDIT_HASH = "md5"
        with pytest.raises(ValueError):
            audit.seal_all()

    def test_a_changed_entry_is_found(self, world):
        entries = _record(world)
        audit.seal_all()
        _raw("UPDATE core_auditentry SET target_repr = 'forged' WHERE id = %s", [entries[1].pk])
        _checked, problems = audit.verify()
        assert [(p.kind, p.entry_id) for p in problems] == [("entry_changed", entries[1].pk)]

    def test_a_changed_json_value_is_found(self, world):
        entries = _record(world)
        audit.seal_all()
        _raw(
            "UPDATE core_auditentry SET after = %s WHERE id = %s", ['{"i": 0, "name": "李四"}', entries[0].pk]
        )
        assert [p.kind for p in audit.verify()[1]] == ["entry_changed"]

    def test_a_deleted_entry_is_found(self, world):
        entries = _record(world)
        audit.seal_all()
        _raw("DELETE FROM core_auditentry WHERE id = %s", [entries[2].pk])
        problems = audit.verify()[1]
        assert [(p.kind, p.entry_id) for p in problems] == [("entry_deleted", entries[2].pk)]

    def test_a_deleted_entry_and_its_link_are_found(self, world):
        entries = _record(world)
        audit.seal_all()
        _raw("DELETE FROM core_auditseal WHERE entry_id = %s", [entries[1].pk])
        _raw("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])
        kinds = {p.kind for p in audit.verify()[1]}
        assert "link_missing" in kinds and "link_changed" in kinds

    def test_an_entry_inserted_behind_the_application_is_reported_unsealed(self, world):
        entries = _record(world, 1)
        audit.seal_all()
        AuditSeal.objects.filter(entry_id=entries[0].pk)  # sealed
        _raw("DELETE FROM core_auditseal")
        problems = audit.verify(unsealed_grace_seconds=-60)[1]
        assert {p.kind for p in problems} == {"unsealed"}

    def test_the_command_exits_1_on_tampering_and_0_when_intact(self, world, capsys):
        entries = _record(world)
        call_command("verify_audit", "--seal")
        assert "审计链完整" in capsys.readouterr().out
        _raw("UPDATE core_auditentry SET action = 'forged' WHERE id = %s", [entries[0].pk])
        with pytest.raises(SystemExit) as exited:
            call_command("verify_audit")
        assert exited.value.code == 1
        assert f"审计记录 {entries[0].pk} 的内容被改动" in capsys.readouterr().out

    def test_seals_are_append_only_in_the_orm(self, world):
        _record(world, 1)
        audit.seal_all()
        seal = AuditSeal.objects.first()
        with pytest.raises(PermissionError):
            seal.save()
        with pytest.raises(PermissionError):
            seal.delete()
        with pytest.raises(PermissionError):
            AuditSeal.objects.all().delete()
        with pytest.raises(PermissionError):
            AuditSeal.objects.update(chain_hash="x")


@pytest.mark.django_db(transaction=True)
class TestDatabaseRefuses:
    def test_raw_delete_and_update_are_refused_on_entries_and_links(self, world, settings):
        settings.QIANGJI_AUDIT_SEAL_INTERVAL = 0  # seal on every commit here (default: at most every 2 s)
        with transaction.atomic():
            entry = audit.record(actor=world.users["xian"], action="test.done", target=world.member)
        # sealed on commit (a transactional test runs on_commit callbacks)
        assert AuditSeal.objects.filter(entry_id=entry.pk).exists()
        for sql in (
            "DELETE FROM core_auditentry WHERE id = %s",
            "UPDATE core_auditentry SET action = 'forged' WHERE id = %s",
            "DELETE FROM core_auditseal WHERE entry_id = %s",
            "UPDATE core_auditseal SET chain_hash = 'x' WHERE entry_id = %s",
        ):
            with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk, action="test.done").exists()
        assert audit.verify()[1] == []

    def test_the_flush_still_empties_the_tables_and_keeps_the_triggers(self, world):
        # The previous test's flush ran past the triggers; they are back afterwards.
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                names = {row[0] for row in cursor.fetchall()}
            assert {
                "core_auditentry_no_delete",
                "core_auditseal_no_delete",
                "core_auditentry_no_update",
            } <= names
