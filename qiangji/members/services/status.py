"""Status as dated events: `Member.status` and its companion columns follow the latest event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.dates import add_months, add_years
from qiangji.members.choices import Category, MembershipStatus, MemberStatus, PoliticalStatus
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.services import base
from qiangji.members.services.base import AUDITED_FIELDS, changeable, reread
from qiangji.members.validation import completeness, labelled

# Which status may follow which (docs/rules.md §5; a deceased or departed member's record is closed).
TRANSITIONS = {
    MemberStatus.PROBATIONARY: {
        MemberStatus.FULL,
        MemberStatus.LOST_CONTACT,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
        MemberStatus.TRANSFERRED_OUT,
    },
    MemberStatus.FULL: {
        MemberStatus.SUSPENDED,
        MemberStatus.LOST_CONTACT,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
        MemberStatus.TRANSFERRED_OUT,
    },
    MemberStatus.LOST_CONTACT: {
        MemberStatus.FULL,
        MemberStatus.PROBATIONARY,
        MemberStatus.SUSPENDED,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
        MemberStatus.TRANSFERRED_OUT,
    },
    MemberStatus.SUSPENDED: {
        MemberStatus.FULL,
        MemberStatus.PROBATIONARY,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
    },
    MemberStatus.LEFT: set(),
    MemberStatus.DECEASED: set(),
    # A paper letter out (组织关系转往平台外, mobility) takes the member off the roll, still a Party member; an
    # incoming letter for the same person brings them back (status = their category).
    MemberStatus.TRANSFERRED_OUT: {MemberStatus.FULL, MemberStatus.PROBATIONARY},
}
LOST_CONTACT_MONTHS = 6  # 《中国共产党党员教育管理工作条例》 (jygl-2019; docs/rules.md §5): unreachable ≥ 6 months → membership suspended
PROBATION_YEARS = (
    1  # 《中国共产党发展党员工作细则》第三十二条 (step 21): one year from the branch meeting's resolution
)


@transaction.atomic
def record_status_event(
    *, actor, member: Member, status: str, effective_on: datetime.date, reason: str = ""
) -> MemberStatusEvent:
    """Append a dated status event and bring the record's status columns in line with it."""
    member = changeable(actor, member)
    _check_transition(member, status, effective_on, reason)
    before = audit.snapshot(member, AUDITED_FIELDS)
    _apply_status(member, status, effective_on)
    member.completeness = completeness(current_columns(member))
    member.save()
    event = MemberStatusEvent.objects.create(
        member=member,
        org_path=member.org_path,
        status=status,
        effective_on=effective_on,
        reason=reason.strip(),
    )
    after = audit.snapshot(member, AUDITED_FIELDS) | {"reason": reason.strip()}
    audit.record(
        actor=actor,
        action="members.status.recorded",
        target=member,
        org=member.organisation,
        before=before,
        after=after,
    )
    reread(actor, member)
    return event


def _check_transition(member: Member, status: str, effective_on, reason: str) -> None:
    current = MemberStatus(member.status)
    if status not in MemberStatus.values:
        raise ValidationError({"status": labelled("status", f"代码“{status}”不在代码表中")})
    if status not in TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": labelled(
                    "status", f"当前状态为“{current.label}”，不能变为“{MemberStatus(status).label}”"
                )
            }
        )
    if not isinstance(effective_on, datetime.date):
        raise ValidationError({"effective_on": "生效日期：必填"})
    if effective_on > base.today():
        raise ValidationError({"effective_on": f"生效日期：{effective_on:%Y-%m-%d} 不能晚于今天"})
    if member.status_since and effective_on < member.status_since:
        raise ValidationError(
            {"effective_on": f"生效日期：不能早于当前状态的起始日期 {member.status_since:%Y-%m-%d}"}
        )
    if status == MemberStatus.FULL and current == MemberStatus.PROBATIONARY:
        _check_probation_over(member, effective_on)
    if status == MemberStatus.SUSPENDED and current == MemberStatus.LOST_CONTACT:
        _check_lost_long_enough(member, effective_on)
    if status not in (MemberStatus.FULL, MemberStatus.PROBATIONARY) and not (reason or "").strip():
        raise ValidationError({"reason": "原因：必填"})


def _check_probation_over(member: Member, effective_on) -> None:
    if member.joined_on and effective_on < add_years(member.joined_on, PROBATION_YEARS):
        ends = add_years(member.joined_on, PROBATION_YEARS)
        raise ValidationError(
            {
                "effective_on": (
                    f"生效日期：预备期为一年，自支部大会通过之日（{member.joined_on:%Y-%m-%d}）起算，"
                    f"{ends:%Y-%m-%d} 前不能转正（《中国共产党发展党员工作细则》第三十二条）"
                )
            }
        )


def _check_lost_long_enough(member: Member, effective_on) -> None:
    since = member.lost_contact_since or member.status_since
    if since and effective_on < add_months(since, LOST_CONTACT_MONTHS):
        raise ValidationError(
            {
                "effective_on": (
                    f"生效日期：失去联系满{LOST_CONTACT_MONTHS}个月方可停止党籍，自 {since:%Y-%m-%d} 起算，"
                    f"应不早于 {add_months(since, LOST_CONTACT_MONTHS):%Y-%m-%d}（《中国共产党党员教育管理工作条例》，docs/rules.md §5）"
                )
            }
        )


def _apply_status(member: Member, status: str, effective_on) -> None:
    if status == MemberStatus.FULL and member.category == Category.PROBATIONARY:
        member.category, member.confirmed_on = Category.FULL, effective_on
    if status in (MemberStatus.FULL, MemberStatus.PROBATIONARY) and status != member.category:
        raise ValidationError(
            {
                "status": labelled(
                    "status", f"人员类别为“{member.get_category_display()}”，恢复后的状态应与人员类别一致"
                )
            }
        )
    member.status, member.status_since = status, effective_on
    member.lost_contact_since = effective_on if status == MemberStatus.LOST_CONTACT else None
    member.membership_status = (
        MembershipStatus.SUSPENDED if status == MemberStatus.SUSPENDED else MembershipStatus.NORMAL
    )
    if status == MemberStatus.LEFT:
        member.political_status = PoliticalStatus.MASSES
    elif status != MemberStatus.DECEASED:
        member.political_status = (
            PoliticalStatus.MEMBER if member.category == Category.FULL else PoliticalStatus.PROBATIONARY
        )


def current_columns(member: Member) -> dict:
    return {field.attname: getattr(member, field.attname) for field in Member._meta.concrete_fields}
