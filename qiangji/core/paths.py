"""Rows on a path: how each app's rows follow a member or an organisation that moves.

Every row that belongs to an organisation carries a live copy of its path (`org_path`).  When an
organisation moves or merges, the tree app rewrites every live `org_path` under the old prefix, one
UPDATE per table (`live_path_models()`; a model whose `org_path` is a frozen historical copy sets
`org_path_is_frozen = True`).  When one *member* moves (a transfer accepted, a paper letter received),
only that member's rows move: each app registers them here, in its `AppConfig.ready()`, so a transfer
moves everything in one transaction and no app writes another app's tables.

    paths.register_member_rows(Case, member_field="member")
    paths.register_member_rows(VolunteerHours, member_field="report__member")
    paths.register_member_mover(move_my_special_rows)   # fn(member, branch) -> int rows moved

`move_member_rows(member, branch)` runs every registration inside the caller's transaction and returns
the rows moved per model label (for the audit entry).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class MemberRows:
    model: type[models.Model]
    member_field: str = "member"  # lookup from the row to the member (e.g. "report__member")
    path_field: str = "org_path"
    org_field: str | None = None  # a foreign key to the organisation that follows the member too
    region_field: str | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_member_rows: dict[str, MemberRows] = {}
_member_movers: list[Callable] = []


def register_member_rows(
    model,
    *,
    member_field: str = "member",
    path_field: str = "org_path",
    org_field: str | None = None,
    region_field: str | None = None,
) -> None:
    """Rows of `model` reached from a member by `member_field` move with the member (idempotent)."""
    entry = MemberRows(model, member_field, path_field, org_field, region_field)
    _member_rows[entry.label] = entry


def register_member_mover(fn: Callable) -> None:
    """A mover for rows a plain filter cannot express: `fn(member, branch) -> rows moved`."""
    if fn not in _member_movers:
        _member_movers.append(fn)


def member_row_registrations() -> list[MemberRows]:
    return list(_member_rows.values())


def move_member_rows(member, branch) -> dict[str, int]:
    """Move every registered row of `member` to `branch`'s path, in the caller's transaction."""
    moved: dict[str, int] = {}
    for entry in _member_rows.values():
        values = {entry.path_field: branch.path}
        if entry.org_field:
            values[entry.org_field] = branch
        if entry.region_field:
            values[entry.region_field] = branch.region_code
        moved[entry.label] = entry.model._base_manager.filter(**{entry.member_field: member}).update(**values)
    for fn in _member_movers:
        moved[f"{fn.__module__}.{fn.__qualname__}"] = fn(member, branch) or 0
    return moved


def live_path_models() -> list[type[models.Model]]:
    """Every concrete model with a live `org_path` (rewritten when an organisation moves or merges)."""
    found = []
    for model in apps.get_models():
        if getattr(model, "org_path_is_frozen", False) or model._meta.abstract or model._meta.proxy:
            continue
        if any(f.name == "org_path" for f in model._meta.concrete_fields):
            found.append(model)
    return found
