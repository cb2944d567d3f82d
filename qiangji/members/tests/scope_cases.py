"""Scope-walk contract: URL kwargs pointing at an object in the FOREIGN subtree, for every URL of
the member registry (HTML and API).  The central walker expects 404 (or a list without it)."""

CASES = {
    "members:list": lambda world: {},
    "members:mine": lambda world: {},
    "members:create": lambda world: {},
    "members:detail": lambda world: {"pk": world.foreign_member.pk},
    "members:edit": lambda world: {"pk": world.foreign_member.pk},
    "members:status": lambda world: {"pk": world.foreign_member.pk},
    "members:record-add": lambda world: {"pk": world.foreign_member.pk},
    "members:position-add": lambda world: {"pk": world.foreign_member.pk},
    "members:reveal-id": lambda world: {"pk": world.foreign_member.pk},
    "members:reveal-phone": lambda world: {"pk": world.foreign_member.pk},
    "members:search": lambda world: {},  # the picker's search: a scoped list (tests/test_search.py: foreign names)
    "member-list": lambda world: {},
    "member-completeness": lambda world: {},
    "member-detail": lambda world: {"pk": world.foreign_member.pk},
}

EXEMPT: dict[str, str] = {}
