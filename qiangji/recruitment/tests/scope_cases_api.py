"""Scope-walk contract for the recruitment API: kwargs point at a case in the FOREIGN subtree."""

from qiangji.recruitment.tests.factories import foreign_case

CASES = {
    "recruitment-case-list": lambda world: {},
    "recruitment-case-detail": lambda world: {"pk": foreign_case(world).pk},
    "recruitment-case-steps": lambda world: {"pk": foreign_case(world).pk},
}

EXEMPT: dict[str, str] = {}
