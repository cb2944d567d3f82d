"""Scope-walk cases for the governance pages (see core/tests/test_scope_walk.py): every kwarg points at a
row in the FOREIGN county, and lists get one first so that a leak would show its name."""

import datetime

from qiangji.core import dates


def foreign_rows(world) -> dict:
    from qiangji.governance.models import (
        Decision,
        DecisionRule,
        Objection,
        PowerCase,
        PowerItem,
        WhistleReport,
    )

    village = world.foreign_branch
    item = PowerItem.objects.create(
        org_path=world.foreign_county.path,
        code="dibao",
        title="外县低保评定",
        legal_basis="x",
        conditions="x",
        source="x",
    )
    item.steps.create(order=1, name="外县申请受理", role="village", notice_days=7)
    case = PowerCase.objects.create(
        item=item,
        village=village,
        org_path=village.path,
        number="XW-FOREIGN",
        applicant_name="外县申请人",
        subject="外县低保申请",
        steps=[
            {
                "order": 1,
                "name": "外县申请受理",
                "role": "village",
                "time_limit_days": None,
                "required_documents": [],
                "notice_days": 7,
            }
        ],
        opened_on=dates.today() - datetime.timedelta(days=3),
    )
    step = case.records.create(
        org_path=village.path,
        order=1,
        name="外县申请受理",
        done_on=dates.today(),
        done_by=world.users["foreign"],
        person_name="外县经办",
        notice_text="外县公示",
        notice_from=dates.today(),
        notice_to=dates.today() + datetime.timedelta(days=6),
    )
    objection = Objection.objects.create(
        case=case, notice=step, org_path=village.path, received_on=dates.today(), content="外县异议"
    )
    report = WhistleReport.objects.create(
        village=village,
        org_path=village.path,
        number="JB-FOREIGN",
        received_on=dates.today(),
        content="外县举报",
    )
    rule = DecisionRule.objects.create(
        org_path=world.foreign_county.path, matter="project", label="外县工程", source="x"
    )
    decision = Decision.objects.create(
        village=village,
        org_path=village.path,
        rule=rule,
        number="SY-FOREIGN",
        title="外县村道",
        description="外县提议",
        stage="discussed",
        proposed_on=dates.today(),
        discussed_on=dates.today(),
    )
    return {
        "item": item,
        "case": case,
        "objection": objection,
        "report": report,
        "rule": rule,
        "decision": decision,
    }


def lists(world) -> dict:
    foreign_rows(world)
    return {}


def pk_of(name):
    return lambda world: {"pk": foreign_rows(world)[name].pk}


CASES = {
    "governance:home": lists,
    "governance:items": lists,
    "governance:item": pk_of("item"),
    "governance:item-adopt": pk_of("item"),
    "governance:item-step": pk_of("item"),
    "governance:cases": lists,
    "governance:case-create": lists,
    "governance:case": pk_of("case"),
    "governance:case-step": lambda world: {"pk": foreign_rows(world)["case"].pk, "order": 1},
    "governance:objection-create": pk_of("case"),
    "governance:objection-resolve": pk_of("objection"),
    "governance:reports": lists,
    "governance:report": pk_of("report"),
    "governance:report-close": pk_of("report"),
    "governance:contact-create": lambda world: {"pk": world.foreign_branch.pk},
    "governance:rules": lists,
    "governance:rules-adopt": lambda world: {"pk": world.foreign_county.pk},
    "governance:rule-edit": pk_of("rule"),
    "governance:decisions": lists,
    "governance:decision-create": lists,
    "governance:prereview": lists,
    "governance:decision": pk_of("decision"),
    "governance:decision-stage": lambda world: {
        "pk": foreign_rows(world)["decision"].pk,
        "stage": "prereview",
    },
}
EXEMPT = {
    "governance:disclosure": "the public village disclosure page (村务公开): shows only notice texts checked for "
    "personal data and masked names, by design to anyone, signed in or not",
    "governance:report-create": "a whistle-blowing form about a village reached from its public page: it shows "
    "nothing of the village but its name and its officers' display names, and accepts a report from anyone signed in",
}


# The API (names from the routers in api/urls.py).
CASES |= {
    "governance-item-list": lists,
    "governance-item-detail": pk_of("item"),
    "governance-case-list": lists,
    "governance-case-detail": pk_of("case"),
    "governance-case-steps": pk_of("case"),
    "governance-case-objections": pk_of("case"),
    "governance-objection-resolve": pk_of("objection"),
    "governance-report-list": lists,
    "governance-report-detail": pk_of("report"),
    "governance-report-close": pk_of("report"),
    "governance-rule-list": lists,
    "governance-rule-detail": pk_of("rule"),
    "governance-decision-list": lists,
    "governance-decision-detail": pk_of("decision"),
    "governance-decision-prereview-queue": lists,
    **{
        f"governance-decision-{name}": pk_of("decision")
        for name in ("discuss", "vote", "publish", "prereview", "execute", "outcome")
    },
}
EXEMPT["governance-disclosure"] = EXEMPT["governance:disclosure"]


def foreign_point(world):
    from qiangji.governance.models import ContactPoint, Finding, Visit

    point = ContactPoint.objects.create(
        leader=world.users["foreign"],
        leader_name="外县部长",
        organisation=world.foreign_branch,
        org_path=world.foreign_branch.path,
        kind="village",
        since=dates.today() - datetime.timedelta(days=300),
    )
    visit = Visit.objects.create(
        point=point,
        org_path=point.org_path,
        kind="visit",
        visited_on=dates.today(),
        people="外县",
        summary="外县走访",
        recorded_by=world.users["foreign"],
    )
    finding = Finding.objects.create(
        visit=visit,
        point=point,
        org_path=point.org_path,
        description="外县问题",
        owner_name="外县",
        deadline=dates.today(),
    )
    return point, finding


CASES |= {
    "governance:points": lambda world: foreign_point(world) and {},
    "governance:point-create": lambda world: foreign_point(world) and {},
    "governance:point": lambda world: {"pk": foreign_point(world)[0].pk},
    "governance:visit-create": lambda world: {"pk": foreign_point(world)[0].pk},
    "governance:findings": lambda world: foreign_point(world) and {},
    "governance:finding-close": lambda world: {"pk": foreign_point(world)[1].pk},
    "governance-point-list": lambda world: foreign_point(world) and {},
    "governance-point-detail": lambda world: {"pk": foreign_point(world)[0].pk},
    "governance-point-visits": lambda world: {"pk": foreign_point(world)[0].pk},
    "governance-finding-list": lambda world: foreign_point(world) and {},
    "governance-finding-detail": lambda world: {"pk": foreign_point(world)[1].pk},
    "governance-finding-close": lambda world: {"pk": foreign_point(world)[1].pk},
}
