"""Scope-walk cases for the shell, the audit log and the token endpoint (see test_scope_walk.py)."""

from django.db import transaction

from qiangji.core import audit


def foreign_entry(world):
    """An audit entry written in the foreign county about its member: no other role may see it."""
    with transaction.atomic():
        return audit.record(
            actor=world.users["foreign"],
            action="members.member.updated",
            target=world.foreign_member,
            org=world.foreign_branch,
            before={"name": "外县党员"},
            after={"name": "外县党员", "address": "另一县委大院"},
        )


def with_foreign_entry(world) -> dict:
    """For lists: put a foreign entry in the log first, so that a leak would show."""
    foreign_entry(world)
    return {}


CASES = {
    "home": lambda world: {},
    "login": lambda world: {},
    "logout": lambda world: {},
    "password-change": lambda world: {},
    "audit-log": with_foreign_entry,
    "audit-export": with_foreign_entry,  # xlsx: the walk reads the workbook's XML parts
    "audit-detail": lambda world: {"pk": foreign_entry(world).pk},
    "api-token": lambda world: {},
    "audit-entry-list": with_foreign_entry,
    "audit-entry-detail": lambda world: {"pk": foreign_entry(world).pk},
    "todos": lambda world: {},  # the signed-in account's own to-dos, counted over its own scope
}

EXEMPT = {
    "api-schema": "the OpenAPI document describes endpoints, it holds no organisation data",
    "api-docs": "Swagger UI page that loads /api/schema/; no organisation data",
    "otp-setup": "the signed-in account's own second-factor device; no organisation data",
    "otp-verify": "the signed-in account's own second-factor check; no organisation data",
}
