"""The audit trail: `record()` is called by every service function inside its transaction."""

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
    actor_name = ""
    if actor is not None:
        actor_name = (actor.get_full_name() or actor.get_username())[:150]
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
    notify_listeners(entry)
    return entry


def history_of(instance):
    return AuditEntry.objects.filter(target_type=instance._meta.label_lower, target_id=str(instance.pk))
