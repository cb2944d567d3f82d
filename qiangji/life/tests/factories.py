"""Helpers for life tests: meetings and committees built through the services where it matters."""

import datetime

from qiangji.life import services
from qiangji.life.models import MeetingType
from qiangji.orgs.models import Committee, CommitteeMember


def meeting_type(code: str) -> MeetingType:
    return MeetingType.objects.get(code=code)


def schedule(
    world, code: str = "branch_general", planned_on=datetime.date(2026, 3, 10), branch=None, **fields
):
    return services.schedule_meeting(
        actor=world.users["zhibu"],
        organisation=branch or world.branch,
        meeting_type=meeting_type(code),
        planned_on=planned_on,
        **fields,
    )


def committee(branch, members, *, extra_unlinked: int = 0):
    """A sitting branch committee whose seats are `members` (plus unlinked seats)."""
    sitting = Committee.objects.create(
        organisation=branch,
        org_path=branch.path,
        elected_on=datetime.date(2025, 1, 1),
        term_years=3,
        term_ends_on=datetime.date(2028, 1, 1),
    )
    for member in members:
        CommitteeMember.objects.create(
            committee=sitting,
            org_path=branch.path,
            member=member,
            name=member.name,
            post="member",
            started_on=datetime.date(2025, 1, 1),
        )
    for number in range(extra_unlinked):
        CommitteeMember.objects.create(
            committee=sitting,
            org_path=branch.path,
            name=f"委员{number}",
            post="member",
            started_on=datetime.date(2025, 1, 1),
        )
    return sitting
