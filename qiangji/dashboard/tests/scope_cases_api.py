"""Scope-walk cases of the dashboard figures API: kwargs point at the FOREIGN county."""


def _org(world):
    return {"pk": world.foreign_county.pk}


CASES = {
    "dashboard-summary": _org,
    "dashboard-trend": _org,
    "dashboard-children": _org,
}
