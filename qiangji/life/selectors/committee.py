"""Reads of the committee side over a subtree the caller already read through the user's scope."""

from qiangji.life.choices import MeetingStatus
from qiangji.life.models import Meeting, MeetingExemption, MonthlyTheme, YearPlan
from qiangji.life.selectors.periods import Period
from qiangji.orgs.models import Organisation


def committee_overview(org: Organisation, year: int) -> dict:
    """The committee page: its own themes of the year, those inherited from above, records waiting for
    review in the subtree and the latest exemptions."""
    return {
        "themes": MonthlyTheme.objects.filter(organisation=org, year=year).prefetch_related("items"),
        "inherited": MonthlyTheme.objects.for_branch_path(org.path)
        .filter(year=year)
        .exclude(organisation=org)
        .select_related("organisation"),
        "waiting": Meeting.objects.filter(
            org_path__startswith=org.path, status=MeetingStatus.SUBMITTED
        ).count(),
        "exemptions": MeetingExemption.objects.filter(org_path__startswith=org.path).select_related(
            "organisation", "meeting_type"
        )[:20],
    }


def review_rows(org: Organisation, status: str):
    """Records of the subtree in `status` (the review list), newest submission first."""
    return (
        Meeting.objects.filter(org_path__startswith=org.path, status=status)
        .select_related("organisation", "meeting_type")
        .order_by("-submitted_at", "-held_on", "-pk")
    )


def subtree_plans(org: Organisation, year: int):
    return (
        YearPlan.objects.filter(org_path__startswith=org.path, year=year)
        .select_related("organisation")
        .order_by("org_path")
    )


def exemptions_in(org: Organisation, period: Period, limit: int = 50):
    """Exemptions of the subtree overlapping the period."""
    return MeetingExemption.objects.filter(
        org_path__startswith=org.path, starts_on__lte=period.end, ends_on__gte=period.start
    ).select_related("organisation", "meeting_type")[:limit]
