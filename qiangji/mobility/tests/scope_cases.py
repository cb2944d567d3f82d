"""Scope-walk contract for every mobility URL: kwargs pointing at objects in the FOREIGN county,
created there by the foreign county's own user through the services (so they are real rows)."""

import datetime


def _actor(world):
    return world.users["foreign"]


def foreign_transfer(world):
    from qiangji.mobility import services

    return services.issue_transfer(
        actor=_actor(world), member=world.foreign_member, to_org=world.foreign_county
    )


def foreign_flow(world):
    from qiangji.mobility import services

    return services.register_outflow(
        actor=_actor(world),
        member=world.foreign_member,
        values={"province": "浙江省", "employer": "某平台"},
        in_org=world.foreign_branch,
    )


def foreign_certificate(world):
    from qiangji.mobility import services

    return services.issue_certificate(actor=_actor(world), member=world.foreign_member)


def _foreign_community(world):
    from qiangji.testing import add_org

    return add_org(world.foreign_county, "外县某社区", "committee", "community", region_code="370125")


def foreign_anchor(world):
    from qiangji.mobility import services

    return services.anchor_branch(
        actor=_actor(world),
        branch=world.foreign_branch,
        second_org=_foreign_community(world),
        second_kind="territory",
    )


def foreign_report(world):
    from qiangji.mobility import services

    return services.register_with_community(
        actor=_actor(world), member=world.foreign_member, community=_foreign_community(world)
    )


def foreign_hours(world):
    from qiangji.mobility import services

    return services.record_hours(
        actor=_actor(world),
        report=foreign_report(world),
        served_on=datetime.date(2026, 1, 5),
        hours="2",
        description="外县服务",
    )


def member(world):
    return {"pk": world.foreign_member.pk}


CASES = {
    "mobility:index": lambda world: {},
    "mobility:member": member,
    "mobility:transfer-create": member,
    "mobility:flow-create": member,
    "mobility:certificate-create": member,
    "mobility:graduate-create": member,
    "mobility:transfer-list": lambda world: {"_query": f"x={foreign_transfer(world).pk}"},
    "mobility:transfer-export": lambda world: {"_query": f"fmt=csv&x={foreign_transfer(world).pk}"},
    "mobility:transfer-incoming": lambda world: {},
    "mobility:transfer-detail": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility:transfer-accept": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility:transfer-return": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility:transfer-receipt": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility:transfer-letter": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility:flow-list": lambda world: {"_query": f"x={foreign_flow(world).pk}"},
    "mobility:flow-export": lambda world: {"_query": f"fmt=csv&x={foreign_flow(world).pk}"},
    "mobility:flow-inflow": lambda world: {},
    "mobility:flow-detail": lambda world: {"pk": foreign_flow(world).pk},
    "mobility:flow-accept": lambda world: {"pk": foreign_flow(world).pk},
    "mobility:flow-decline": lambda world: {"pk": foreign_flow(world).pk},
    "mobility:flow-end": lambda world: {"pk": foreign_flow(world).pk},
    "mobility:poster": lambda world: {"pk": world.foreign_branch.pk},
    "mobility:certificate-list": lambda world: {"_query": f"x={foreign_certificate(world).pk}"},
    "mobility:certificate-detail": lambda world: {"pk": foreign_certificate(world).pk},
    "mobility:certificate-pdf": lambda world: {"pk": foreign_certificate(world).pk},
    "mobility:certificate-check": lambda world: {"pk": foreign_certificate(world).pk},
    "mobility:certificate-revoke": lambda world: {"pk": foreign_certificate(world).pk},
    "mobility:anchor-list": lambda world: {"_query": f"x={foreign_anchor(world).pk}"},
    "mobility:anchor-create": lambda world: {},
    "mobility:anchor-remove": lambda world: {"pk": foreign_anchor(world).pk},
    "mobility:community": lambda world: {"_query": f"x={foreign_hours(world).pk}"},
    "mobility:post-create": lambda world: {},
    "mobility:report-create": lambda world: {},
    "mobility:hours-create": lambda world: {"pk": foreign_report(world).pk},
    "mobility:hours-decide": lambda world: {"pk": foreign_hours(world).pk},
    "mobility-transfer-list": lambda world: {"_query": f"x={foreign_transfer(world).pk}"},
    "mobility-transfer-detail": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility-transfer-accept": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility-transfer-return-letter": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility-transfer-receipt": lambda world: {"pk": foreign_transfer(world).pk},
    "mobility-flow-list": lambda world: {"_query": f"x={foreign_flow(world).pk}"},
    "mobility-flow-detail": lambda world: {"pk": foreign_flow(world).pk},
    "mobility-flow-accept": lambda world: {"pk": foreign_flow(world).pk},
    "mobility-flow-decline": lambda world: {"pk": foreign_flow(world).pk},
    "mobility-flow-end": lambda world: {"pk": foreign_flow(world).pk},
    "mobility-flow-by-destination": lambda world: {"_query": f"x={foreign_flow(world).pk}"},
    "mobility-flow-suggestions": lambda world: {},
    "mobility-certificate-list": lambda world: {"_query": f"x={foreign_certificate(world).pk}"},
    "mobility-certificate-detail": lambda world: {"pk": foreign_certificate(world).pk},
    "mobility-certificate-check": lambda world: {"pk": foreign_certificate(world).pk},
    "mobility-certificate-revoke": lambda world: {"pk": foreign_certificate(world).pk},
    "mobility-certificate-verify": lambda world: {},
    "mobility-anchor-list": lambda world: {"_query": f"x={foreign_anchor(world).pk}"},
    "mobility-anchor-detail": lambda world: {"pk": foreign_anchor(world).pk},
    "mobility-hours-list": lambda world: {"_query": f"x={foreign_hours(world).pk}"},
    "mobility-hours-detail": lambda world: {"pk": foreign_hours(world).pk},
    "mobility-hours-decide": lambda world: {"pk": foreign_hours(world).pk},
    "mobility-report-list": lambda world: {"_query": f"x={foreign_report(world).pk}"},
    "mobility-report-detail": lambda world: {"pk": foreign_report(world).pk},
    "mobility-report-hours": lambda world: {"pk": foreign_report(world).pk},
    "mobility-intake-incoming-letter": lambda world: {},  # POST only; the receiving org must be in scope
    "mobility-intake-inflow": lambda world: {},  # POST only; the inflow branch must be in scope
    "mobility-intake-arrive": lambda world: {},  # POST only; the signed poster token names the branch
}

EXEMPT = {
    "mobility:arrive": "the signed poster token is the capability: any member who scans a branch's poster may "
    "register with that branch (pending its acceptance); it shows only that branch's name",
    "mobility:verify": "public offline verify page: the public key and a script, no organisation data",
    "mobility:public-key": "the certificate signing key's public half, published on purpose",
    "mobility-certificate-status": "public revocation status by number (like OCSP): status and date only, "
    "no name or organisation, so inflow branches anywhere can check a card",
}
