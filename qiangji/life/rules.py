"""Rule look-ups shared by services and selectors: who is due at a meeting, which activities apply.

The numbers themselves are data (`MeetingType`, `MeetingRuleOverride`, seeded from docs/rules.md §2).
"""

from qiangji.core import scoping
from qiangji.life.choices import ChecklistKind, Quorum
from qiangji.life.models import ChecklistItem, Meeting, MeetingRuleOverride, MeetingType
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.orgs.models import CommitteeMember


def ancestor_paths(path: str) -> list[str]:
    """The path itself and every ancestor's (the kernel's strict ancestors plus the path)."""
    return [*scoping.ancestor_paths(path), path]


def effective_period(meeting_type: MeetingType, org_path: str) -> int:
    """Months per required meeting: the national default or the strictest override on the path."""
    periods = MeetingRuleOverride.objects.filter(
        meeting_type=meeting_type, org_path__in=ancestor_paths(org_path)
    ).values_list("period_months", flat=True)
    return min([meeting_type.period_months, *periods])


def committee_seats(branch_id: int) -> tuple[int, set[int]]:
    """(number of sitting committee members, member ids of those linked to a member record)."""
    seats = list(
        CommitteeMember.objects.filter(
            committee__organisation_id=branch_id,
            committee__ended_on__isnull=True,
            ended_on__isnull=True,
        ).values_list("member_id", flat=True)
    )
    return len(seats), {member_id for member_id in seats if member_id}


def due_member_ids(meeting: Meeting) -> set[int]:
    """Members due: the sitting committee for a committee meeting, else the branch's members on the roll."""
    if meeting.meeting_type.quorum == Quorum.COMMITTEE_MAJORITY:
        return committee_seats(meeting.organisation_id)[1]
    return set(
        Member.objects.filter(organisation_id=meeting.organisation_id, status__in=ON_ROLL).values_list(
            "pk", flat=True
        )
    )


def applicable_items(meeting: Meeting):
    """Checklist items pushed to this branch for the meeting's month by any committee above it."""
    day = meeting.held_on or meeting.planned_on
    if not meeting.meeting_type.has_checklist or day is None:
        return ChecklistItem.objects.none()
    return ChecklistItem.objects.filter(
        theme__org_path__in=ancestor_paths(meeting.org_path), theme__year=day.year, theme__month=day.month
    ).select_related("theme")


def required_item_count(meeting: Meeting) -> int:
    return applicable_items(meeting).filter(kind=ChecklistKind.REQUIRED).count()


def unaccounted_required_items(meeting: Meeting) -> list[str]:
    """Required items with neither a completion with evidence nor a written reason for not doing them."""
    accounted = set(meeting.completions.values_list("item_id", flat=True))
    return [
        item.title
        for item in applicable_items(meeting).filter(kind=ChecklistKind.REQUIRED)
        if item.pk not in accounted
    ]
