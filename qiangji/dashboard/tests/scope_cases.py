"""Scope-walk cases of the dashboard screen, exception lists, exports, PDF and the exception-list API:
kwargs point at the FOREIGN county (core/tests/test_scope_walk.py)."""


def _org(world):
    return {"pk": world.foreign_county.pk}


def _kind(world):
    return {"pk": world.foreign_county.pk, "kind": "dues_arrears_6m"}


CASES = {
    "dashboard:home": lambda world: {},
    "dashboard:node": _org,
    "dashboard:summary-pdf": _org,
    "dashboard:children-export": _org,
    "dashboard:trend-export": _org,
    "dashboard:worst-export": _org,
    "dashboard:exceptions": _kind,
    "dashboard:exceptions-export": _kind,
    "dashboard-exceptions": _kind,
}
