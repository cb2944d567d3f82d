"""`qiangji backup` / `qiangji restore` (issue #13 item 3, docs/security.md, docs/operations in README).

A backup is one encrypted file holding a consistent snapshot of the database and the uploaded files
(MEDIA_ROOT), with a manifest of row counts and a hash per table:

- SQLite: SQLite's online backup API copies the live database page by page into a snapshot file (writers
  may go on meanwhile; the copy is of one consistent state).
- PostgreSQL: a logical dump, `COPY ... TO STDOUT` of every table inside ONE repeatable-read, read-only
  transaction (one snapshot for all tables), plus the sequences' values.

The archive (tar) is encrypted in 1 MiB chunks with AES-256-GCM under `QIANGJI_BACKUP_KEY` — a key kept
apart from the data key (`QIANGJI_DATA_KEY`): one leaked key alone opens neither the backups' personal
fields nor the backups. Each chunk's nonce and associated data carry its index and a last-chunk flag, so
a truncated, reordered or altered file is refused.

`restore` decrypts, checks every member of the archive against the manifest, replaces the database's
content (SQLite: the backup API in reverse; PostgreSQL: TRUNCATE and COPY FROM, triggers off for the
session, sequences set) and the media files, then verifies: row counts and per-table hashes equal to the
manifest's, and the audit hash chain intact (`core.audit.verify`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection
from django.utils import timezone

MAGIC = b"QJBK1\n"
CHUNK = 1 << 20
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


# --- encryption --------------------------------------------------------------------------------------


def backup_key() -> bytes:
    secret = getattr(settings, "QIANGJI_BACKUP_KEY", "") or ""
    if not secret:
        raise BackupError("未配置备份密钥 QIANGJI_BACKUP_KEY")
    if secret == settings.DATA_KEY:
        raise BackupError("备份密钥不能与数据密钥（QIANGJI_DATA_KEY）相同")
    return hashlib.sha256(b"qiangji-backup:" + secret.encode()).digest()


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def encrypt_file(source: Path, target: Path, key: bytes) -> None:
    aead = AESGCM(key)
    prefix = os.urandom(8)
    with open(source, "rb") as src, open(target, "wb") as out:
        out.write(MAGIC + prefix)
        index = 0
        chunk = src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            last = not following
            sealed = aead.encrypt(_nonce(prefix, index), chunk, struct.pack(">I?", index, last))
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                return
            chunk, index = following, index + 1


def decrypt_file(source: Path, target: Path, key: bytes) -> None:
    aead = AESGCM(key)
    with open(source, "rb") as src, open(target, "wb") as out:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupError("不是强基备份文件")
        prefix = src.read(8)
        index = 0
        while True:
            header = src.read(4)
            if len(header) < 4:
                raise BackupError("备份文件不完整（被截断）")
            sealed = src.read(struct.unpack(">I", header)[0])
            for last in (False, True):
                try:
                    out.write(aead.decrypt(_nonce(prefix, index), sealed, struct.pack(">I?", index, last)))
                    break
                except InvalidTag:
                    continue
            else:
                raise BackupError("备份文件无法解密：密钥不对，或文件被改动")
            if last:
                if src.read(1):
                    raise BackupError("备份文件末尾有多余数据")
                return
            index += 1


# --- table hashes ------------------------------------------------------------------------------------


def _tables() -> list[str]:
    return sorted(
        name
        for name in connection.introspection.table_names()
        if not name.startswith("members_import_staging_")
    )


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'members_import_staging_%' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def _hash_rows(rows) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(repr(tuple(row)).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def sqlite_manifest(db: sqlite3.Connection) -> dict:
    tables = {}
    for table in _sqlite_tables(db):
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
        order = ", ".join(f'"{c}"' for c in columns)
        # quote(): each value as its SQL literal text, whatever type converters the connection has
        quoted = ", ".join(f'quote("{c}")' for c in columns)
        count, digest = _hash_rows(db.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {order}'))
        tables[table] = {"rows": count, "sha256": digest}
    return tables


def _postgres_rows_hash(lines: list[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line + b"\n")
    return len(lines), digest.hexdigest()


def postgres_manifest() -> dict:
    tables = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in _tables():
            buffer = io.BytesIO()
            with raw.copy(f'COPY "{table}" TO STDOUT') as copy:
                for data in copy:
                    buffer.write(data)
            count, digest = _postgres_rows_hash(buffer.getvalue().splitlines())
            tables[table] = {"rows": count, "sha256": digest}
    return tables


# --- backup ------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    media_files: int
    size: int


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def backup(output: Path) -> BackupResult:
    key = backup_key()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="qiangji-backup-"))
    try:
        manifest = {
            "format": FORMAT_VERSION,
            "vendor": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "files": {},
        }
        tar_path = work / "backup.tar"
        with tarfile.open(tar_path, "w") as archive:
            if connection.vendor == "sqlite":
                snapshot = work / "db.sqlite3"
                connection.ensure_connection()
                dest = sqlite3.connect(snapshot)
                try:
                    connection.connection.backup(dest)
                    manifest["tables"] = sqlite_manifest(dest)
                finally:
                    dest.close()
                archive.add(snapshot, "db.sqlite3")
                manifest["files"]["db.sqlite3"] = _file_sha256(snapshot)
            elif connection.vendor == "postgresql":
                manifest["tables"], manifest["sequences"] = _postgres_dump(archive, manifest["files"])
            else:
                raise BackupError(f"不支持的数据库：{connection.vendor}")
            media_root = Path(settings.MEDIA_ROOT)
            media = _media_files()
            for path in media:
                name = "media/" + path.relative_to(media_root).as_posix()
                archive.add(path, name)
                manifest["files"][name] = _file_sha256(path)
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        encrypt_file(tar_path, output, key)
        os.chmod(output, 0o600)
        return BackupResult(
            output,
            len(manifest["tables"]),
            sum(t["rows"] for t in manifest["tables"].values()),
            len(media),
            output.stat().st_size,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _postgres_dump(archive: tarfile.TarFile, files: dict) -> tuple[dict, dict]:
    """Every table by COPY in one repeatable-read snapshot."""
    tables: dict = {}
    sequences: dict = {}
    connection.ensure_connection()
    raw_conn = connection.connection
    previous_autocommit = raw_conn.autocommit
    if connection.in_atomic_block:
        raise BackupError("备份不能在事务中进行")
    raw_conn.autocommit = False
    try:
        with raw_conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for table in _tables():
                buffer = io.BytesIO()
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    for data in copy:
                        buffer.write(data)
                data = buffer.getvalue()
                count, digest = _postgres_rows_hash(data.splitlines())
                tables[table] = {"rows": count, "sha256": digest}
                name = f"tables/{table}.copy"
                _add_bytes(archive, name, data)
                files[name] = hashlib.sha256(data).hexdigest()
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'SELECT last_value, is_called FROM "{name}"')
                sequences[name] = list(cursor.fetchone())
        raw_conn.rollback()
    finally:
        raw_conn.autocommit = previous_autocommit
    return tables, sequences


# --- restore -----------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    audit_links: int


def read_backup(path: Path, work: Path) -> tuple[dict, Path]:
    """Decrypt and unpack into `work`; the manifest, every file checked against it."""
    tar_path = work / "backup.tar"
    decrypt_file(Path(path), tar_path, backup_key())
    out = work / "content"
    with tarfile.open(tar_path) as archive:
        archive.extractall(out, filter="data")
    tar_path.unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        if _file_sha256(out / name) != digest:
            raise BackupError(f"备份中的文件 {name} 校验失败")
    return manifest, out


def restore(path: Path, *, verify_only: bool = False) -> RestoreResult:
    from qiangji.core import audit

    work = Path(tempfile.mkdtemp(prefix="qiangji-restore-"))
    try:
        manifest, content = read_backup(path, work)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}")
        if connection.in_atomic_block:
            raise BackupError("恢复不能在事务中进行")
        if connection.vendor == "sqlite":
            snapshot = sqlite3.connect(content / "db.sqlite3")
            try:
                if sqlite_manifest(snapshot) != manifest["tables"]:
                    raise BackupError("备份中的数据库与清单不符")
                if not verify_only:
                    connection.ensure_connection()
                    snapshot.backup(connection.connection)
            finally:
                snapshot.close()
            restored = None if verify_only else sqlite_manifest(connection.connection)
        else:
            if not verify_only:
                _postgres_load(content, manifest)
            restored = None if verify_only else postgres_manifest()
        if restored is not None and restored != manifest["tables"]:
            differing = sorted(t for t in manifest["tables"] if restored.get(t) != manifest["tables"][t])
            raise BackupError(f"恢复后的数据与备份不符：{'、'.join(differing[:10])}")
        media = [name for name in manifest["files"] if name.startswith("media/")]
        if not verify_only:
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.exists():
                shutil.rmtree(media_root)
            media_root.mkdir(parents=True, exist_ok=True)
            for name in media:
                target = media_root / name[len("media/") :]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(content / name, target)
        links = 0
        if not verify_only:
            links, problems = audit.verify(unsealed_grace_seconds=10**9)
            if problems:
                raise BackupError(f"恢复后审计链校验失败：{problems[0].message}")
        return RestoreResult(
            len(manifest["tables"]), sum(t["rows"] for t in manifest["tables"].values()), len(media), links
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _postgres_load(content: Path, manifest: dict) -> None:
    tables = sorted(manifest["tables"])
    current = set(_tables())
    missing = [t for t in tables if t not in current]
    if missing:
        raise BackupError(f"当前数据库缺少表：{'、'.join(missing[:10])}（请先 migrate 到备份时的版本）")
    connection.ensure_connection()
    raw_conn = connection.connection
    previous_autocommit = raw_conn.autocommit
    raw_conn.autocommit = False
    try:
        with raw_conn.cursor() as cursor:
            # Triggers (the audit log's append-only guard, foreign keys) off for this session's load only.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            for table in tables:
                data = (content / f"tables/{table}.copy").read_bytes()
                if data:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(data)
            for name, (value, is_called) in manifest.get("sequences", {}).items():
                cursor.execute("SELECT setval(%s, %s, %s)", [f'"{name}"', value, is_called])
        raw_conn.commit()
    except Exception:
        raw_conn.rollback()
        raise
    finally:
        raw_conn.autocommit = previous_autocommit
