"""Scope-walk contract for the recruitment API: kwargs point at a case in the FOREIGN subtree."""

from qiangji.recruitment.tests.factories import foreign_case

CASES = {
    "recruitment-case-list": lambda world: {},
    "recruitment-case-detail": lambda world: {"pk": foreign_case(world).pk},
    "recruitment-case-steps": lambda world: {"pk": foreign_case(world).pk},
    "recruitment-rule-list": lambda world: {},
    "recruitment-form-range-list": lambda world: {},
}

EXEMPT = {
    "recruitment-rule-detail": "rules are national data (no organisation): the same for every user",
    "recruitment-rule-tighten": "the rule is national data; the organisation in the body is scope-checked (404) "
    "— tested in test_api.py",
}
