"""Reads of the governance app: every list starts from `visible_to(user, action)`; the public disclosure
page reads one village's notices by its organisation and masks names."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse

from qiangji.core.choices import Action
from qiangji.core.dates import add_months, today
from qiangji.core.scoping import scope_of
from qiangji.governance.choices import (
    STAGE_ORDER,
    CaseStatus,
    DecisionStage,
    DecisionStatus,
    FindingStatus,
    ObjectionStatus,
    PreReview,
)
from qiangji.governance.models import (
    CaseStep,
    ContactPoint,
    Decision,
    DecisionRule,
    Finding,
    Objection,
    PowerCase,
    PowerItem,
    Representative,
    WhistleReport,
)
from qiangji.orgs.models import Grant, Organisation


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜: enough for neighbours to recognise, no more."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def own_paths(path: str) -> list[str]:
    """`path` and every ancestor's path."""
    return [path[:end] for end in range(4, len(path) + 1, 4)]


def county_of(org: Organisation) -> Organisation | None:
    """The county above (or at) `org`: the highest organisation on its path with its county's region code."""
    if not org.region_code:
        return None
    return (
        Organisation.objects.filter(path__in=own_paths(org.path), region_code=org.region_code)
        .order_by("depth")
        .first()
    )


# ----- catalogue ----------------------------------------------------------------------------------------


def items_for(user) -> QuerySet:
    return PowerItem.objects.visible_to(user).annotate(step_count=Count("steps")).order_by("org_path", "code")


def items_for_village(village: Organisation) -> list[PowerItem]:
    """The county's items, and national templates the county has not adopted under the same code."""
    county = county_of(village)
    rows = PowerItem.objects.filter(is_active=True, org_path__in=["", getattr(county, "path", "-")])
    chosen: dict[str, PowerItem] = {}
    for item in rows.order_by("-org_path"):  # the county's own first
        chosen.setdefault(item.code, item)
    return sorted(chosen.values(), key=lambda item: item.code)


def applicable_rule(village: Organisation, matter) -> DecisionRule | None:
    """The county's rule for the matter if it has adopted one (active or not), else the national default."""
    county = county_of(village)
    rules = {
        rule.org_path: rule
        for rule in DecisionRule.objects.filter(
            matter=str(matter or ""), org_path__in=["", getattr(county, "path", "-")]
        )
    }
    rule = rules.get(getattr(county, "path", "-")) or rules.get("")
    return rule if rule is not None and rule.is_active else None


def rules_for_village(village: Organisation) -> list[DecisionRule]:
    county = county_of(village)
    chosen: dict[str, DecisionRule] = {}
    for rule in DecisionRule.objects.filter(org_path__in=["", getattr(county, "path", "-")]).order_by(
        "-org_path"
    ):
        chosen.setdefault(rule.matter, rule)
    return [rule for rule in chosen.values() if rule.is_active]


def representatives_on(village, day: datetime.date) -> QuerySet:
    return (
        Representative.objects.filter(village=village, since__lte=day)
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .order_by("name", "pk")
    )


# ----- cases ----------------------------------------------------------------------------------------------


def cases_for(user, action: str = Action.VIEW) -> QuerySet:
    return PowerCase.objects.visible_to(user, action).select_related("item", "village")


def case_timeline(case: PowerCase) -> list[dict]:
    """Each template step with its record (if taken) and the case's open objections on it."""
    records = {record.order: record for record in case.records.all()}
    objections: dict[int, list] = {}
    for objection in case.objections.select_related("notice"):
        objections.setdefault(objection.notice.order, []).append(objection)
    return [
        {
            "spec": spec,
            "record": records.get(spec["order"]),
            "objections": objections.get(spec["order"], []),
            "is_next": case.status == CaseStatus.OPEN and spec["order"] == case.next_order,
        }
        for spec in case.steps
    ]


def open_objections(case: PowerCase) -> int:
    return case.objections.filter(status=ObjectionStatus.OPEN).count()


def disclosure_for(village: Organisation, *, limit: int = 100) -> dict:
    """The village's public page: notices (current and past) and published decisions, newest first, names
    masked.  Two indexed range reads on the village's own path."""
    notices = list(
        CaseStep.objects.filter(org_path=village.path, notice_from__isnull=False)
        .select_related("case__item")
        .order_by("-notice_from", "-id")[:limit]
    )
    day = today()
    decisions = list(
        Decision.objects.filter(org_path=village.path, published_on__isnull=False)
        .only(
            "number",
            "title",
            "amount",
            "resolution_text",
            "published_on",
            "executed_on",
            "outcome_text",
            "outcome_published_on",
            "stage",
        )
        .order_by("-published_on", "-id")[:limit]
    )
    return {
        "notices": [
            {
                "item": notice.case.item.title,
                "number": notice.case.number,
                "applicant": mask_name(notice.case.applicant_name),
                "step": notice.name,
                "text": notice.notice_text,
                "from": notice.notice_from,
                "to": notice.notice_to,
                "current": notice.notice_from <= day <= notice.notice_to,  # type: ignore[operator]
            }
            for notice in notices
        ],
        "decisions": decisions,
    }


# ----- whistle-blowing --------------------------------------------------------------------------------------


def reports_for(user) -> QuerySet:
    return WhistleReport.objects.visible_to(user).select_related("village")


# ----- decisions ----------------------------------------------------------------------------------------------


def decisions_for(user, action: str = Action.VIEW) -> QuerySet:
    return Decision.objects.visible_to(user, action).select_related("village", "rule")


def prereview_queue(user) -> QuerySet:
    """Decisions awaiting the township's pre-review: discussed by the two committees, still open, not yet
    signed off, in villages strictly below the user's grants (the village never reviews itself)."""
    scope = scope_of(user)
    own_nodes = [path for path, _role in scope.grants]
    return (
        Decision.objects.visible_to(user, Action.CHANGE)
        .filter(status=DecisionStatus.OPEN, prereview__in=[PreReview.PENDING, PreReview.RETURNED])
        .exclude(stage=DecisionStage.PROPOSED)
        .exclude(org_path__in=own_nodes)
        .select_related("village")
        .order_by("discussed_on", "id")
    )


def todos(user) -> list[dict]:
    """Work-bench to-dos: open objections to handle, decisions to pre-review (SQL counts over the scope)."""
    items = []
    objections = Objection.objects.visible_to(user, Action.CHANGE).filter(status=ObjectionStatus.OPEN).count()
    if objections:
        items.append(
            {
                "level": "danger",
                "text": f"{objections}条公示异议待核实处理",
                "url": reverse("governance:cases") + "?objections=open",
                "count": objections,
                "module": "governance",
            }
        )
    queue = (
        prereview_queue(user).count() if scope_of(user).paths_for(Action.CHANGE) or user.is_superuser else 0
    )
    if queue:
        items.append(
            {
                "level": "warning",
                "text": f"{queue}件村级重大事项待乡镇党委前置审核",
                "url": reverse("governance:prereview"),
                "count": queue,
                "module": "governance",
            }
        )
    gaps = coverage_gaps(user).count()
    if gaps:
        items.append(
            {
                "level": "warning",
                "text": f"{gaps}个联系点超过规定间隔未走访",
                "url": reverse("governance:points") + "?gaps=1",
                "count": gaps,
                "module": "governance",
            }
        )
    late = overdue_findings(user).count()
    if late:
        items.append(
            {
                "level": "danger",
                "text": f"{late}个调研发现问题逾期未销号",
                "url": reverse("governance:findings") + "?overdue=1",
                "count": late,
                "module": "governance",
            }
        )
    return items


def village_officers(village: Organisation) -> list:
    """Accounts a report may name: those with a grant on the village itself or on the township above it."""
    paths = [village.path, village.path[:-4]] if len(village.path) > 4 else [village.path]
    grants = (
        Grant.objects.filter(org_path__in=paths).select_related("user").order_by("org_path", "user__username")
    )
    return list({grant.user.pk: grant.user for grant in grants}.values())


def village_by_code(code: str) -> Organisation | None:
    """The public disclosure page's village, by its platform code (no personal data is read with it)."""
    return Organisation.objects.filter(code=str(code)[:32], dissolved_on__isnull=True).first()


def villages_for(user) -> QuerySet:
    return Organisation.objects.visible_to(user).filter(category__in=("rural", "community")).order_by("path")


def adoptable_counties(user, template: PowerItem) -> list[Organisation]:
    """Counties the user manages that have not adopted the template yet."""
    adopted = (
        PowerItem.objects.filter(code=template.code).exclude(org_path="").values_list("org_path", flat=True)
    )
    return list(
        Organisation.objects.visible_to(user, Action.CHANGE)
        .filter(division_code=F("region_code"))
        .exclude(region_code="")
        .exclude(path__in=adopted)
        .order_by("path")[:50]
    )


def counties_without_rules(user) -> list[Organisation]:
    adopted = DecisionRule.objects.exclude(org_path="").values_list("org_path", flat=True)
    return list(
        Organisation.objects.visible_to(user, Action.CHANGE)
        .filter(division_code=F("region_code"))
        .exclude(region_code="")
        .exclude(path__in=adopted)
        .order_by("path")[:50]
    )


def user_by_username(username: str):
    return get_user_model().objects.filter(username=str(username)[:150], is_active=True).first()


STAGE_ACTIONS = [
    (DecisionStage.PROPOSED, "proposed_on", ""),
    (DecisionStage.DISCUSSED, "discussed_on", "discuss"),
    (DecisionStage.DELIBERATED, "deliberated_on", "party_members"),
    (DecisionStage.RESOLVED, "resolved_on", "representatives"),
    (DecisionStage.PUBLISHED, "published_on", "publish"),
    (DecisionStage.EXECUTED, "executed_on", "execute"),
    (DecisionStage.OUTCOME_PUBLISHED, "outcome_published_on", "outcome"),
]


def decision_stages(decision: Decision) -> list[dict]:
    """The seven stages in order with their dates; the next one is the stage the village may take now."""
    done = STAGE_ORDER.index(decision.stage)
    return [
        {
            "label": stage.label,
            "on": getattr(decision, field),
            "slug": slug,
            "done": index <= done,
            "is_next": decision.status == DecisionStatus.OPEN and index == done + 1,
        }
        for index, (stage, field, slug) in enumerate(STAGE_ACTIONS)
    ]


def form_day(value) -> datetime.date:
    """The meeting day typed on a vote form (its roll is the roll of that day), today if absent or bad."""
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return today()


def village_by_pk(pk) -> Organisation | None:
    """The village a report is about: any active organisation of the platform (a reporter need not manage it)."""
    return Organisation.objects.filter(pk=pk, dissolved_on__isnull=True).first()


# ----- contact points -------------------------------------------------------------------------------------


def points_for(user) -> QuerySet:
    """Contact points with their last visit and open / overdue findings, computed in SQL."""
    day = today()
    return (
        ContactPoint.objects.visible_to(user)
        .select_related("organisation")
        .annotate(
            last_visit=Max("visits__visited_on"),
            open_findings=Count("findings", filter=Q(findings__status=FindingStatus.OPEN), distinct=True),
            overdue_findings=Count(
                "findings",
                filter=Q(findings__status=FindingStatus.OPEN, findings__deadline__lt=day),
                distinct=True,
            ),
        )
        .order_by("org_path", "id")
    )


def unvisited_q(day: datetime.date):
    """A point not visited within its interval: the latest visit (or, with none, its start) is on or before
    the day `interval_months` months ago (docs/rules.md §9).  Set-wise: one condition per interval in use."""
    by_interval = Q()
    for months in range(1, 25):
        cutoff = add_months(day, -months)
        by_interval |= Q(interval_months=months) & (
            Q(last_visit__lte=cutoff) | Q(last_visit__isnull=True, since__lte=cutoff)
        )
    return by_interval


def coverage_gaps(user) -> QuerySet:
    return points_for(user).filter(is_active=True).filter(unvisited_q(today()))


def findings_for(user, action: str = Action.VIEW) -> QuerySet:
    return Finding.objects.visible_to(user, action).select_related("point__organisation", "visit")


def overdue_findings(user) -> QuerySet:
    return findings_for(user).filter(status=FindingStatus.OPEN, deadline__lt=today())
