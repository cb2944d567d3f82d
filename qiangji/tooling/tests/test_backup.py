"""qiangji backup / restore: the encrypted round trip (database and uploaded files), verified by row counts,
per-table hashes and the audit chain; a wrong key, a changed or a truncated file are refused."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from qiangji.core import audit
from qiangji.core.models import AuditEntry
from qiangji.members.models import Member
from qiangji.testing import add_member
from qiangji.tooling import backup as backups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "life").mkdir(parents=True)
    (settings.MEDIA_ROOT / "life" / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 3000)
    settings.QIANGJI_BACKUP_KEY = "backup-key-for-tests"
    return settings.MEDIA_ROOT


def _manifest():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return backups.sqlite_manifest(connection.connection)
    return backups.postgres_manifest()


def test_round_trip_restores_rows_files_and_a_verified_audit_chain(world, media, tmp_path, capsys):
    with transaction.atomic():
        audit.record(actor=world.users["xian"], action="test.before_backup", target=world.member)
    audit.seal_all()
    before = _manifest()
    members = Member.objects.count()
    target = tmp_path / "b.qjbk"
    call_command("backup", "--output", str(target))
    assert "备份完成" in capsys.readouterr().out
    raw = target.read_bytes()
    assert (
        raw.startswith(backups.MAGIC) and b"photo.jpg" not in raw and "张三".encode() not in raw
    )  # encrypted

    # life goes on after the backup: a new member, an audit entry, a lost file
    add_member(world.branch, "备份后")
    with transaction.atomic():
        audit.record(actor=world.users["xian"], action="test.after_backup", target=world.member)
    (media / "life" / "photo.jpg").unlink()
    (media / "new.txt").write_text("after")

    call_command("restore", str(target), "--yes")
    out = capsys.readouterr().out
    assert "恢复完成并已校验" in out and "审计链" in out
    assert Member.objects.count() == members and not Member.objects.filter(name="备份后").exists()
    assert not AuditEntry.objects.filter(action="test.after_backup").exists()
    assert AuditEntry.objects.filter(action="test.before_backup").exists()
    assert (media / "life" / "photo.jpg").read_bytes().startswith(b"\xff\xd8\xff") and not (
        media / "new.txt"
    ).exists()
    assert _manifest() == before
    assert audit.verify()[1] == []


def test_verify_only_touches_nothing(world, media, tmp_path, capsys):
    target = tmp_path / "b.qjbk"
    backups.backup(target)
    add_member(world.branch, "不动")
    call_command("restore", str(target), "--verify-only")
    assert "备份文件完好" in capsys.readouterr().out
    assert Member.objects.filter(name="不动").exists()


def test_restore_needs_yes(world, media, tmp_path):
    target = tmp_path / "b.qjbk"
    backups.backup(target)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(target))


def test_a_wrong_key_a_changed_byte_or_a_truncated_file_is_refused(world, media, tmp_path, settings):
    target = tmp_path / "b.qjbk"
    backups.backup(target)
    data = target.read_bytes()
    changed = tmp_path / "changed.qjbk"
    changed.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    truncated = tmp_path / "truncated.qjbk"
    truncated.write_bytes(data[: len(data) // 2])
    for path in (changed, truncated):
        with pytest.raises(backups.BackupError):
            backups.restore(path, verify_only=True)
    settings.QIANGJI_BACKUP_KEY = "another-key"
    with pytest.raises(backups.BackupError, match="密钥"):
        backups.restore(target, verify_only=True)


def test_the_backup_key_must_differ_from_the_data_key(world, media, tmp_path, settings):
    settings.QIANGJI_BACKUP_KEY = settings.DATA_KEY
    with pytest.raises(CommandError, match="不能与数据密钥"):
        call_command("backup", "--output", str(tmp_path / "x.qjbk"))
    settings.QIANGJI_BACKUP_KEY = ""
    with pytest.raises(backups.BackupError):
        backups.backup(tmp_path / "y.qjbk")
