"""Scope-walk cases for the request desk (see core/tests/test_scope_walk.py): every kwarg points at a
request in the FOREIGN county, and lists get one first so that a leak would show its name."""


def foreign_request(world):
    from qiangji.service import services

    admin = world.users["admin"]
    place = services.create_place(
        actor=admin, kind="compound", name="邻县小区", organisation=world.foreign_branch
    )
    created, _code = services.submit(
        actor=admin,
        channel="behalf",
        category="general",
        description="外县党员反映的问题",
        phone="13700000009",
        place=place.pk,
    )
    return created


def with_foreign(world) -> dict:
    foreign_request(world)
    return {}


def foreign_pk(world) -> dict:
    return {"pk": foreign_request(world).pk}


CASES = {
    "service:home": with_foreign,
    "service:submit": with_foreign,
    "service:onetap": with_foreign,
    "service:status": with_foreign,
    "service:rate": with_foreign,
    "service:stations": with_foreign,
    "service:request-list": with_foreign,
    "service:request-detail": foreign_pk,
    "service:request-action": lambda world: {**foreign_pk(world), "action": "whistle"},
    "service:pool": with_foreign,
    "service:behalf": with_foreign,
    "service:figures": with_foreign,
    "service:rules": with_foreign,
    "service:workdays": with_foreign,
    "service:registry": with_foreign,
    "service-open311-discovery": with_foreign,
    "service-open311-services": with_foreign,
    "service-open311-requests": with_foreign,
    "service-open311-request": lambda world: {"number": foreign_request(world).number},
    "service-open311-request-fmt": lambda world: {"number": foreign_request(world).number, "format": "json"},
    "service-open311-token": lambda world: {"token": foreign_request(world).token},
    "service-open311-token-fmt": lambda world: {"token": foreign_request(world).token, "format": "xml"},
    "service-open311-updates": with_foreign,
    "service-figures": with_foreign,
    "service-request-list": with_foreign,
    "service-request-detail": foreign_pk,
    "service-request-answer": foreign_pk,
    "service-request-claim": foreign_pk,
    "service-request-close": foreign_pk,
    "service-request-progress": foreign_pk,
    "service-request-resume": foreign_pk,
    "service-request-send-back": foreign_pk,
    "service-request-wait": foreign_pk,
    "service-request-whistle": foreign_pk,
}

SAME_VIEW = "the same view as the suffix-less path (walked there); only the format differs"
EXEMPT = {
    "service:track": "the signed link is the requester's own credential (no account): whoever holds it sees "
    "that one request; a forged or altered token is a 404 (test_views, test_services)",
    "service-open311-service": "a public category definition (Open311 service definition), no organisation data",
    "service-open311-service-fmt": "a public category definition (Open311 service definition), no organisation data",
    "service-open311-discovery-fmt": SAME_VIEW,
    "service-open311-services-fmt": SAME_VIEW,
    "service-open311-requests-fmt": SAME_VIEW,
    "service-open311-updates-fmt": SAME_VIEW,
}
