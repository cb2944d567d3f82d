"""Records with known answers for the assessment tests (docs/rules.md §6 example set)."""

import datetime

from qiangji.dues.models import DuesAccount
from qiangji.life.models import BranchLifeYear, MeetingType
from qiangji.members.models import Member
from qiangji.orgs.models import Committee

YEAR = 2026
AS_OF = datetime.date(2026, 12, 4)
ALL_MONTHS = (1 << 12) - 1


def hold_life(org, year=YEAR, *, skip=()) -> None:
    """The branch held every required meeting type in every month of the year, except the types in `skip`."""
    for meeting_type in MeetingType.objects.filter(is_required=True).exclude(code__in=skip):
        BranchLifeYear.objects.update_or_create(
            organisation=org,
            year=year,
            meeting_type=meeting_type,
            defaults={
                "org_path": org.path,
                "held_months": ALL_MONTHS,
                "held_count": 12,
                "held_month_count": 12,
                "held_quarter_count": 4,
            },
        )


def pay_dues(org, *, through=datetime.date(2026, 11, 1), unpaid=()) -> None:
    for member in Member.objects.filter(organisation=org):
        DuesAccount.objects.update_or_create(
            member=member,
            defaults={
                "start_month": datetime.date(2020, 1, 1),
                "paid_through": datetime.date(2026, 5, 1) if member.name in unpaid else through,
            },
        )


def elect(org, *, elected_on=datetime.date(2024, 3, 1), years=3) -> Committee:
    ends = elected_on.replace(year=elected_on.year + years) - datetime.timedelta(days=1)
    return Committee.objects.create(
        organisation=org, org_path=org.path, elected_on=elected_on, term_years=years, term_ends_on=ends
    )


def complete_records(org, value=100) -> None:
    Member.objects.filter(organisation=org).update(completeness=value)


def good_branch(org) -> None:
    hold_life(org)
    pay_dues(org)
    elect(org)
    complete_records(org)
