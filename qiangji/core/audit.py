"""The audit trail: `record()` is called by every service function inside its transaction."""

import dataclasses
import datetime
import decimal
import uuid

from django.db import transaction

from qiangji.core.context import current_request_id
from qiangji.core.models import AuditEntry

# Callables run for each entry inside the writer's transaction (e.g. the dashboard schedules a rollup
# refresh on commit).  Code that writes audit rows by SQL calls `notify_listeners()` itself.
_listeners: list = []


def add_listener(listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def notify_listeners(entry=None) -> None:
    for listener in _listeners:
        listener(entry)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(instance, fields) -> dict:
    """A JSON-safe dict of the given fields, for before/after data (never a secret's clear text)."""
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def person_name(user) -> str:
    """Who acted, as people know them: the full name, else the name on their member record, with the
    account in brackets when it differs ("王芳（xian01）"); a bare account name only when nothing else is known."""
    username = user.get_username()
    name = user.get_full_name().strip()
    if not name and getattr(user, "pk", None):
        name = user.member_records.values_list("name", flat=True).first() or ""
    return f"{name}（{username}）" if name and name != username else username


def _org_at(path: str):
    """The organisation at `path` (the kernel names the model by label: it imports no app)."""
    from django.apps import apps

    return apps.get_model("orgs", "Organisation").objects.filter(path=path).only("name", "path").first()


def record(
    *,
    actor,
    action: str,
    target=None,
    org=None,
    org_path: str = "",
    before=None,
    after=None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Append one audit entry.  Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the service's transaction")
    if org is not None:
        org_path = org_path or org.path
    actor_name = person_name(actor)[:150] if actor is not None else ""
    if org is None and org_path:
        org = _org_at(org_path)
    entry = AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor_name or "系统",
        org_path=org_path,
        org_name=(getattr(org, "name", "") or "")[:200],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr if target_repr is not None else str(target or ""))[:255],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        request_id=current_request_id(),
    )
    entry.save(force_insert=True)
    _schedule_sealing()
    notify_listeners(entry)
    return entry


def history_of(instance):
    return AuditEntry.objects.filter(target_type=instance._meta.label_lower, target_id=str(instance.pk))


# ---------------------------------------------------------------------------------------------------
# The hash chain (ADR 0004): every entry is linked, in sealing order, into `AuditSeal` rows
#   entry_hash = H(canonical JSON of the entry's stored content)
#   chain_hash = H(seq | prev_hash | entry_hash), prev_hash = the previous link's chain_hash
# with H = SM3 or SHA-256 (QIANGJI_AUDIT_HASH, recorded per link so a switch keeps old links valid).
# Entries are sealed right after their transaction commits (`record` schedules it) and by the
# scheduler's tick; `verify()` (`qiangji verify_audit`) recomputes the chain and finds an edited,
# deleted or reordered entry or link.

GENESIS = "0" * 64
SEAL_BATCH = 2000
# Entries below the chain's frontier that may still be unsealed: on PostgreSQL a transaction that took
# its id early can commit after a later one was sealed. Only this many ids below the frontier are looked at.
LATE_WINDOW = 5000


def hash_algorithm() -> str:
    from django.conf import settings

    algorithm = (getattr(settings, "QIANGJI_AUDIT_HASH", "sm3") or "sm3").lower()
    if algorithm not in ("sm3", "sha256"):
        raise ValueError(f"QIANGJI_AUDIT_HASH: sm3 or sha256, not {algorithm!r}")
    return algorithm


def digest(algorithm: str, data: bytes) -> str:
    if algorithm == "sha256":
        import hashlib

        return hashlib.sha256(data).hexdigest()
    if algorithm == "sm3":
        from cryptography.hazmat.primitives import hashes

        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    raise ValueError(f"unknown audit hash {algorithm!r}")


def canonical_content(entry) -> bytes:
    """The entry's stored content as canonical JSON (sorted keys, UTC time to the microsecond)."""
    import json

    created = entry.created_at
    if created is not None and created.tzinfo is not None:
        created = created.astimezone(datetime.UTC)
    content = {
        "id": entry.pk,
        "created_at": created.isoformat() if created else None,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "org_path": entry.org_path,
        "org_name": entry.org_name,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry, algorithm: str) -> str:
    return digest(algorithm, canonical_content(entry))


def chain_hash(algorithm: str, seq: int, prev_hash: str, entry_digest: str) -> str:
    return digest(algorithm, f"{seq}|{prev_hash}|{entry_digest}".encode())


def _lock_chain(connection) -> None:
    """One sealer at a time. SQLite: the IMMEDIATE transaction already holds the write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7236501)")  # an arbitrary constant: the chain's lock


def seal_pending(*, limit: int = SEAL_BATCH, look_back: int = LATE_WINDOW) -> int:
    """Link unsealed entries into the chain (oldest id first), in one short transaction; how many.

    `look_back`: how many ids below the chain's frontier to search for entries that committed late
    (the scheduler's tick and verify_audit: LATE_WINDOW; right after a commit: 0, only newer ids)."""
    from qiangji.core.models import AuditSeal

    algorithm = hash_algorithm()
    with transaction.atomic():
        _lock_chain(transaction.get_connection())
        last = AuditSeal.objects.order_by("-seq").first()
        seq, prev = (last.seq, last.chain_hash) if last else (0, GENESIS)
        frontier = max(AuditSeal.objects.order_by("-entry_id").values_list("entry_id", flat=True)[:1] or [0])
        floor = max(0, frontier - look_back)
        sealed_near = set(AuditSeal.objects.filter(entry_id__gt=floor).values_list("entry_id", flat=True))
        entries = [
            entry
            for entry in AuditEntry.objects.filter(id__gt=floor).order_by("id")[: limit + len(sealed_near)]
            if entry.pk not in sealed_near
        ][:limit]
        seals = []
        for entry in entries:
            seq += 1
            own = entry_hash(entry, algorithm)
            link = chain_hash(algorithm, seq, prev, own)
            seals.append(
                AuditSeal(
                    seq=seq,
                    entry_id=entry.pk,
                    algorithm=algorithm,
                    entry_hash=own,
                    prev_hash=prev,
                    chain_hash=link,
                )
            )
            prev = link
        AuditSeal.objects.bulk_create(seals)
    return len(seals)


def seal_all(*, look_back: int = LATE_WINDOW) -> int:
    total = 0
    while True:
        count = seal_pending(look_back=look_back)
        total += count
        if count < SEAL_BATCH:
            return total


_last_sealed = [0.0]


def _seal_after_commit() -> None:
    """At most one sealing per QIANGJI_AUDIT_SEAL_INTERVAL seconds per process (default 2): a busy server
    (check-ins) does not add a transaction to every request; the scheduler's tick seals the rest."""
    import logging
    import time

    from django.conf import settings

    interval = float(getattr(settings, "QIANGJI_AUDIT_SEAL_INTERVAL", 2.0))
    now = time.monotonic()
    if interval and now - _last_sealed[0] < interval:
        return
    _last_sealed[0] = now
    try:
        seal_all(look_back=0)
    except Exception:  # e.g. the database is busy: the scheduler's tick or the next commit seals them
        logging.getLogger(__name__).warning("audit entries not sealed yet", exc_info=True)


def _schedule_sealing() -> None:
    from django.conf import settings

    if not getattr(settings, "QIANGJI_AUDIT_SEAL_ON_COMMIT", True):
        return
    connection = transaction.get_connection()
    if not any(item[1] is _seal_after_commit for item in connection.run_on_commit):
        transaction.on_commit(_seal_after_commit)


@dataclasses.dataclass
class Problem:
    kind: str  # "entry_changed", "entry_deleted", "link_changed", "link_missing", "unsealed"
    seq: int | None
    entry_id: int | None
    message: str


def verify(*, batch: int = 5000, unsealed_grace_seconds: int = 3600) -> tuple[int, list[Problem]]:
    """Walk the whole chain; (links checked, problems). Empty problems: the log is intact."""
    from django.utils import timezone

    from qiangji.core.models import AuditSeal

    problems: list[Problem] = []
    expected_seq, prev = 1, GENESIS
    checked = 0
    last_seq = 0
    while True:
        seals = list(AuditSeal.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not seals:
            break
        entries = AuditEntry.objects.in_bulk([seal.entry_id for seal in seals])
        for seal in seals:
            checked += 1
            if seal.seq != expected_seq:
                problems.append(
                    Problem(
                        "link_missing",
                        expected_seq,
                        None,
                        f"第 {expected_seq}–{seal.seq - 1} 环缺失（链被删改）",
                    )
                )
            if seal.prev_hash != prev or seal.chain_hash != chain_hash(
                seal.algorithm, seal.seq, seal.prev_hash, seal.entry_hash
            ):
                problems.append(
                    Problem(
                        "link_changed", seal.seq, seal.entry_id, f"第 {seal.seq} 环与上一环不相接（链被改动）"
                    )
                )
            entry = entries.get(seal.entry_id)
            if entry is None:
                problems.append(
                    Problem("entry_deleted", seal.seq, seal.entry_id, f"审计记录 {seal.entry_id} 已被删除")
                )
            elif entry_hash(entry, seal.algorithm) != seal.entry_hash:
                problems.append(
                    Problem(
                        "entry_changed", seal.seq, seal.entry_id, f"审计记录 {seal.entry_id} 的内容被改动"
                    )
                )
            prev, expected_seq, last_seq = seal.chain_hash, seal.seq + 1, seal.seq
    grace = timezone.now() - datetime.timedelta(seconds=unsealed_grace_seconds)
    sealed_ids = AuditSeal.objects.values("entry_id")
    for entry_id in (
        AuditEntry.objects.filter(created_at__lt=grace)
        .exclude(id__in=sealed_ids)
        .order_by("id")
        .values_list("id", flat=True)[:100]
    ):
        problems.append(
            Problem("unsealed", None, entry_id, f"审计记录 {entry_id} 未入链（可能是绕过应用写入的）")
        )
    return checked, problems


# The test suite's flush on SQLite (DELETE FROM every table) runs past the DELETE triggers: they are dropped
# before it and recreated after it, in the flush's own transaction. Used by qiangji/conftest.py only.
SQLITE_DELETE_TRIGGERS = {
    "core_auditentry": (
        "core_auditentry_no_delete",
        """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
    ),
    "core_auditseal": (
        "core_auditseal_no_delete",
        """CREATE TRIGGER IF NOT EXISTS core_auditseal_no_delete BEFORE DELETE ON core_auditseal
           BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;""",
    ),
}


def sqlite_flush_statements(statements: list[str], tables) -> list[str]:
    guarded = [SQLITE_DELETE_TRIGGERS[table] for table in SQLITE_DELETE_TRIGGERS if table in set(tables)]
    if not guarded or not statements:
        return statements
    return (
        [f"DROP TRIGGER IF EXISTS {name}" for name, _sql in guarded]
        + list(statements)
        + [sql for _name, sql in guarded]
    )
