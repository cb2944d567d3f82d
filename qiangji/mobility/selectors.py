"""Reads of the mobility app, always through `.visible_to(user)`; counts and suggestions set-wise in SQL."""

import datetime

from django.db.models import Count, F, Q, Sum

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.members.choices import MemberStatus
from qiangji.members.models import Member
from qiangji.mobility.choices import CertificateStatus, FlowStatus, HoursStatus, TransferKind, TransferStatus
from qiangji.mobility.models import (
    Certificate,
    CommunityReport,
    DualAnchor,
    GraduateHold,
    MobileFlow,
    Transfer,
    VolunteerHours,
)
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

SUGGEST_MIN_FULL_MEMBERS = (
    3  # 《中国共产党支部工作条例（试行）》: a branch needs ≥ 3 full members (docs/rules.md §2)
)


def transfers_for(user, action=Action.VIEW):
    return Transfer.objects.visible_to(user, action).select_related("from_org", "to_org", "to_branch")


def overdue_q(today: datetime.date) -> tuple[Q, Q]:
    """(transfer overdue, receipt overdue): an internal letter past validity still in transit; a
    paper letter out whose receipt did not come back in time."""
    base = Q(status=TransferStatus.IN_TRANSIT)
    return (
        base & Q(kind=TransferKind.INTERNAL, expires_on__lt=today),
        base & Q(kind=TransferKind.OUTGOING, receipt_due_on__lt=today),
    )


def overdue_transfers(user, today: datetime.date):
    late_transfer, late_receipt = overdue_q(today)
    return transfers_for(user).filter(late_transfer | late_receipt)


def overdue_counts_by_org(user, today: datetime.date) -> list[dict]:
    """Per sending organisation: overdue transfers and overdue receipts, one grouped query."""
    late_transfer, late_receipt = overdue_q(today)
    rows = (
        Transfer.objects.visible_to(user)
        .filter(late_transfer | late_receipt)
        .values("from_org", "from_org_name")
        .annotate(transfers=Count("pk", filter=late_transfer), receipts=Count("pk", filter=late_receipt))
        .order_by("-transfers", "-receipts", "from_org_name")
    )
    return list(rows)


def flagged_graduates(user, today: datetime.date):
    return (
        GraduateHold.objects.visible_to(user)
        .filter(closed_on__isnull=True, flag_on__lte=today)
        .select_related("member", "member__organisation")
    )


def flows_for(user, action=Action.VIEW):
    """Both sides: the outflow branch's subtree by `org_path`, the inflow branch's by `other_path`."""
    return MobileFlow.objects.visible_to(user, action).select_related(
        "member", "member__organisation", "out_org", "in_org"
    )


def by_destination(user) -> list[dict]:
    return list(
        flows_for(user)
        .exclude(status=FlowStatus.RETURNED)
        .values("province", "city", "county")
        .annotate(members=Count("member", distinct=True))
        .order_by("-members", "province", "city", "county")
    )


def inflow_member_ids(paths: list[str]):
    """Members with an accepted flow into a branch under one of `paths` (registered with life in apps.py: the
    inflow branch reads their organisational life and records their attendance)."""
    q = Q()
    for path in paths:
        q |= Q(other_path__startswith=path)
    return MobileFlow.objects.filter(q, status=FlowStatus.ACTIVE).values("member_id")


def anchored_branch_ids(paths: list[str]):
    """Branches anchored (DualAnchor) to an organisation under one of `paths` (registered with the tree in apps.py:
    the second line sees the branch)."""
    q = Q()
    for path in paths:
        q |= Q(other_path__startswith=path)
    return DualAnchor.objects.filter(q).values("branch_id")


def branch_suggestions(user) -> list[dict]:
    """≥ 3 full members at the same employer or place with no branch there: suggest a (temporary) branch
    (docs/rules.md §2, project or temporary branch), for the street and the industry line.

    Counted from the registry's work-unit item (`Member.employer`, the full members on the user's roll) and from
    every flow the user sees (any status: a member who went out and has not come back is still there, whether the
    inflow branch accepted or not), a member once per name and city; one grouped query per source."""
    full = Q(member__status=MemberStatus.FULL)
    flows = MobileFlow.objects.visible_to(user).filter(full).exclude(status=FlowStatus.RETURNED)
    people: dict[tuple[str, str, str, str], set[int]] = {}
    for field, label in (("employer", "就业单位或平台"), ("place", "站点/工作地点")):
        for row in flows.exclude(**{field: ""}).values(field, "province", "city", "member_id").distinct():
            people.setdefault((label, row[field].strip(), row["province"], row["city"]), set()).add(
                row["member_id"]
            )
    # The registry: full members on the user's roll whose work unit is not their own branch's unit.
    workers = (
        Member.objects.visible_to(user)
        .filter(status=MemberStatus.FULL)
        .exclude(employer="")
        .exclude(organisation__unit_name=F("employer"))
        .exclude(organisation__name__startswith=F("employer"))
    )
    candidates = set(
        workers.values("employer")
        .annotate(members=Count("pk"))
        .filter(members__gte=SUGGEST_MIN_FULL_MEMBERS)
        .values_list("employer", flat=True)
    )
    candidates |= {name for label, name, _province, _city in people if label == "就业单位或平台"}
    if candidates:
        for row in workers.filter(employer__in=sorted(candidates)).values("employer", "pk"):
            people.setdefault(("就业单位或平台", row["employer"].strip(), "", ""), set()).add(row["pk"])
    groups = _merged(people)
    if not groups:
        return []
    names = {group["name"] for group in groups}
    with_branch = set(
        Organisation.objects.filter(dissolved_on__isnull=True, kind__in=BRANCH_KINDS)
        .filter(Q(unit_name__in=names) | Q(name__in=names))
        .values_list("unit_name", "name")
    )
    covered = {name for pair in with_branch for name in pair}
    return sorted((g for g in groups if g["name"] not in covered), key=lambda g: (-g["members"], g["name"]))


def _merged(people: dict[tuple[str, str, str, str], set[int]]) -> list[dict]:
    """One group per (by, name): the registry's members and the flows' members together, each counted once;
    the place shown is the flows' province and city with the most members."""
    merged: dict[tuple[str, str], dict] = {}
    for (label, name, province, city), ids in sorted(people.items(), key=lambda item: -len(item[1])):
        group = merged.setdefault(
            (label, name), {"by": label, "name": name, "province": province, "city": city, "ids": set()}
        )
        if not group["province"] and province:
            group["province"], group["city"] = province, city
        group["ids"] |= ids
    return [
        {
            "by": g["by"],
            "name": g["name"],
            "province": g["province"],
            "city": g["city"],
            "members": len(g["ids"]),
        }
        for g in merged.values()
        if len(g["ids"]) >= SUGGEST_MIN_FULL_MEMBERS
    ]


def certificates_for(user, action=Action.VIEW):
    return Certificate.objects.visible_to(user, action).select_related("member", "member__organisation")


def certificates_due(user, today: datetime.date, days: int = 30):
    """Active cards expiring within `days` (or expired): due for the annual check (docs/rules.md §5)."""
    return (
        certificates_for(user)
        .filter(status=CertificateStatus.ACTIVE, valid_until__lte=today + datetime.timedelta(days=days))
        .order_by("valid_until")
    )


def anchors_for(user):
    return DualAnchor.objects.visible_to(user).select_related("branch", "second_org")


def organisations_with_anchors(user, action=Action.VIEW):
    """The user's subtree plus branches anchored into it (DualAnchor): both lines see such a branch."""
    anchored = DualAnchor.objects.visible_to(user, action).values("branch")
    own = Organisation.objects.visible_to(user, action).values("pk")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=anchored))


def reports_for(user):
    return (
        CommunityReport.objects.visible_to(user)
        .select_related("member", "community")
        .prefetch_related("posts")
    )


def hours_for(user):
    return VolunteerHours.objects.visible_to(user).select_related(
        "report__member", "report__community", "post"
    )


def confirmed_hours_by_member(user) -> list[dict]:
    """What the employer's branch sees: confirmed hours per member."""
    return list(
        hours_for(user)
        .filter(status=HoursStatus.CONFIRMED)
        .values("report__member", "report__member__name", "report__community__name")
        .annotate(total=Sum("hours"))
        .order_by("report__member__name")
    )


def summary(user, today: datetime.date) -> dict:
    """The counts on the mobility home page, a handful of aggregate queries."""
    late_transfer, late_receipt = overdue_q(today)
    transfers = Transfer.objects.visible_to(user).aggregate(
        in_transit=Count("pk", filter=Q(status=TransferStatus.IN_TRANSIT)),
        overdue=Count("pk", filter=late_transfer),
        receipts_overdue=Count("pk", filter=late_receipt),
    )
    flows = MobileFlow.objects.visible_to(user).aggregate(
        active=Count("pk", filter=Q(status=FlowStatus.ACTIVE)),
        pending=Count("pk", filter=Q(status__in=(FlowStatus.PENDING, FlowStatus.OUTFLOW))),
    )
    return {**transfers, **flows, "graduates": flagged_graduates(user, today).count()}


def own_member(user) -> Member | None:
    """The signed-in member's own record (a member account sees itself, whatever its grants)."""
    return Member.objects.filter(pk__in=scope_of(user).member_ids).select_related("organisation").first()


def arrival_branch(pk) -> Organisation | None:
    """The active branch a poster code names; any branch of the platform (the member arriving there is
    not in its subtree), so the code's signature is the only gate."""
    return Organisation.objects.filter(pk=pk, dissolved_on__isnull=True, kind__in=BRANCH_KINDS).first()


def certificate_status(number: str) -> dict:
    """What the public revocation check may say about a card number: its state and nothing personal."""
    cert = (
        Certificate.objects.filter(number=number)
        .only("status", "revoked_reason", "revoked_on", "valid_until")
        .first()
    )
    if cert is None:
        return {
            "number": number,
            "status": "unknown",
            "reason_label": "",
            "revoked_on": None,
            "valid_until": None,
        }
    return {
        "number": number,
        "status": cert.status,
        "reason_label": cert.get_revoked_reason_display(),
        "revoked_on": cert.revoked_on,
        "valid_until": cert.valid_until,
    }
