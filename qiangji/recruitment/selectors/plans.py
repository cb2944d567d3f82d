"""Plans and ratios (issue item 9): plan versus actual by quarter and group, and the pipeline ratio
applicants : activists : new members, over a subtree — a few grouped queries, no loop over cases."""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractQuarter

from qiangji.recruitment.choices import FindingStatus, PlanGroup
from qiangji.recruitment.models import (
    AdmissionForm,
    AdmissionFormRange,
    Case,
    DevelopmentPlan,
    FileAudit,
    FileAuditFinding,
)

QUARTERS = (1, 2, 3, 4)


def _year_range(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lt": datetime.date(year + 1, 1, 1)})


def planned_by_group(user, org_path: str | None, year: int) -> dict[str, int]:
    """The subtree's plan: the plans of its highest planning level (a county's plan is not added to
    the plans of its own branches, which break it down)."""
    plans = DevelopmentPlan.objects.visible_to(user).filter(year=year)
    if org_path:
        plans = plans.filter(org_path__startswith=org_path)
    rows = list(plans.values("org_path", "group").annotate(total=Sum("planned")))
    if not rows:
        return {}
    top = min(len(row["org_path"]) for row in rows)
    tops = [row for row in rows if len(row["org_path"]) == top]
    covered = {row["org_path"] for row in tops}
    result: dict[str, int] = {}
    for row in rows:  # a plan of a deeper organisation outside every top one also counts
        if row in tops or not any(row["org_path"].startswith(path) for path in covered):
            result[row["group"]] = result.get(row["group"], 0) + row["total"]
    return result


def actual_by_quarter(cases, year: int) -> dict[tuple[str, int], int]:
    """New probationary members (branch meeting admitted them) by group and quarter."""
    rows = (
        cases.filter(_year_range("admitted_on", year))
        .annotate(quarter=ExtractQuarter("admitted_on"))
        .order_by()
        .values("group", "quarter")
        .annotate(n=Count("pk"))
    )
    return {(row["group"], row["quarter"]): row["n"] for row in rows}


def pipeline(cases, year: int) -> dict[str, int]:
    """Applicants, activists and new members of the year (by the date of each step), in one query."""
    return cases.aggregate(
        applicants=Count("pk", filter=_year_range("applied_on", year)),
        activists=Count("pk", filter=_year_range("activist_on", year)),
        new_members=Count("pk", filter=_year_range("admitted_on", year)),
    )


def plan_report(user, org_path: str | None, year: int) -> dict:
    cases = Case.objects.visible_to(user)
    if org_path:
        cases = cases.filter(org_path__startswith=org_path)
    planned = planned_by_group(user, org_path, year)
    actual = actual_by_quarter(cases, year)
    groups = []
    for group in PlanGroup:
        quarters = [actual.get((group.value, q), 0) for q in QUARTERS]
        groups.append(
            {
                "group": group.value,
                "label": group.label,
                "planned": planned.get(group.value, 0),
                "quarters": quarters,
                "actual": sum(quarters),
            }
        )
    quarter_totals = [sum(g["quarters"][i] for g in groups) for i in range(4)]
    cumulative = [sum(quarter_totals[: i + 1]) for i in range(4)]
    total_planned = sum(g["planned"] for g in groups)
    return {
        "year": year,
        "groups": groups,
        "quarter_totals": quarter_totals,
        "cumulative": cumulative,
        "planned": total_planned,
        "actual": cumulative[-1],
        "pipeline": pipeline(cases, year),
        "chart": {
            "quarters": ["一季度", "二季度", "三季度", "四季度"],
            "actual": quarter_totals,
            "cumulative": cumulative,
            "planned": [round(total_planned * (i + 1) / 4) for i in range(4)],
        },
    }


def ratio_text(numbers: dict[str, int]) -> str:
    """applicants : activists : new members, reduced by the new-member count when there is one."""
    base = numbers["new_members"]
    if not base:
        return f"{numbers['applicants']} : {numbers['activists']} : 0"
    return f"{numbers['applicants'] / base:.1f} : {numbers['activists'] / base:.1f} : 1"


ISSUED_ROWS = 100


def form_ranges(user, org_path: str | None) -> tuple[list, list]:
    """Admission-form number ranges held in the user's subtree (or `org_path`), and the latest forms
    issued from them."""
    ranges = AdmissionFormRange.objects.visible_to(user).select_related("organisation")
    issued = AdmissionForm.objects.visible_to(user).select_related("case")
    if org_path:
        ranges = ranges.filter(org_path__startswith=org_path)
        issued = issued.filter(org_path__startswith=org_path)
    return list(ranges), list(issued.order_by("-issued_on", "-pk")[:ISSUED_ROWS])


def file_audits(user, limit: int = 100) -> tuple[list, list]:
    """The file audits the user may see (with sample and open-finding counts) and the open findings."""
    audits = (
        FileAudit.objects.visible_to(user)
        .select_related("organisation")
        .annotate(
            sampled=Count("samples", distinct=True),
            open_findings=Count(
                "samples__findings",
                filter=~Q(samples__findings__status=FindingStatus.ACCEPTED),
                distinct=True,
            ),
        )
    )
    findings = (
        FileAuditFinding.objects.visible_to(user)
        .exclude(status=FindingStatus.ACCEPTED)
        .select_related("sample__case")
    )
    return list(audits[:limit]), list(findings.order_by("due_on", "pk")[:limit])


def audit_samples(file_audit: FileAudit) -> list:
    """The sampled files of an (already scoped) audit, with their cases and findings."""
    return list(file_audit.samples.select_related("case__organisation").prefetch_related("findings"))
