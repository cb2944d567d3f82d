"""Steps 2–13: talk, activist, filings, mentors, assessments, target, sponsors, vetting, training,
committee sign-offs (《中国共产党发展党员工作细则》, docs/rules.md §1).  Each function locks the case, checks order and gates, writes one
step record and its detail rows, and audits (base.add_step)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import add_years, today
from qiangji.members.choices import MemberStatus, RecordKind
from qiangji.members.models import Member, RewardPunishment
from qiangji.recruitment import rules
from qiangji.recruitment.choices import MentorRole, NoticePurpose, Outcome
from qiangji.recruitment.models import Mentor, Sponsor, TrainingRecord, Vetting
from qiangji.recruitment.services.base import add_step, alert, check_order, enforce, gate, lock_case, text
from qiangji.recruitment.services.notices import check_notices

FILING_STEPS = {
    4: "入党积极分子备案",
    8: "发展对象备案",
    16: "上级党委派人谈话",
    18: "报上级组织部门备案",
    19: "编入党支部和党小组",
    21: "预备期教育考察",
}
PROBATION_IN_PARTY = "留党察看"


@transaction.atomic
def record_talk(*, actor, case, date, talker: str, summary: str = ""):
    """Step 2: within 1 month of receiving the application (overdue alert, fzdy 第7条)."""
    case = lock_case(actor, case)
    check_order(case, 2, date)
    due = rules.due_date(rules.effective_rule("step02.talk_within", date, case.org_path), case.applied_on)
    alerts = alert(
        case,
        "step02.talk_within",
        date,
        bool(due and date > due.date),
        lambda: f"申请日期 {case.applied_on:%Y-%m-%d}，最迟 {due.label}（含）谈话，实际 {date:%Y-%m-%d}",  # type: ignore[union-attr]
    )
    talker = text({"talker": talker}, "talker", "谈话人", limit=50)
    return add_step(actor, case, 2, date, actors=[talker], fields={"summary": summary or ""}, alerts=alerts)


@transaction.atomic
def designate_activist(*, actor, case, date, basis: str = ""):
    """Step 3: chosen by the branch committee; local rules may ask for 6 months and a notice."""
    case = lock_case(actor, case)
    check_order(case, 3, date)
    overridden = check_notices(case, NoticePurpose.ACTIVIST, date)
    rule = rules.effective_rule("step03.activist_after_application", date, case.org_path)
    earliest = rules.earliest_date(rule, case.applied_on) if rule else None
    alerts = alert(
        case,
        "step03.activist_after_application",
        date,
        bool(earliest and date < earliest.date),
        lambda: f"申请日期 {case.applied_on:%Y-%m-%d}，最早 {earliest.label}（含），实际 {date:%Y-%m-%d}",  # type: ignore[union-attr]
    )
    return add_step(actor, case, 3, date, fields={"basis": basis or ""}, alerts=alerts, overridden=overridden)


@transaction.atomic
def record_filing(*, actor, case, step: int, date, note: str = ""):
    """Steps 4, 8, 16, 18, 19, 21: filings, the higher committee's talk, placement, probation education."""
    if step not in FILING_STEPS:
        raise ValidationError({"step": f"第{step}步不是备案类步骤"})
    case = lock_case(actor, case)
    check_order(case, step, date)
    return add_step(actor, case, step, date, fields={"note": note or ""})


def _members(actor, members, field: str, label: str) -> list[Member]:
    """Members the actor can see, in the given order; unknown or foreign ids are named, not revealed."""
    if not isinstance(members, list | tuple):
        raise ValidationError({field: f"{label}：应为党员编号的列表"})
    ids = [getattr(m, "pk", m) for m in members]
    bad = [repr(pk) for pk in ids if isinstance(pk, bool) or not isinstance(pk, int)]
    if bad:
        raise ValidationError({field: f"{label}：党员编号应为整数，收到 {', '.join(bad)}"})
    found = Member.objects.visible_to(actor, Action.VIEW).in_bulk(ids)
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: f"{label}：未找到党员 {', '.join(missing)}，或不在您的管理范围内"})
    if len(set(ids)) != len(ids):
        raise ValidationError({field: f"{label}：同一党员不能重复指定"})
    return [found[pk] for pk in ids]


@transaction.atomic
def assign_mentors(*, actor, case, date, members, roles=None):
    """Step 5: one or two full members as mentors (gate, fzdy 第11条); a political and a professional
    mentor stay a pair when registered one at a time."""
    case = lock_case(actor, case)
    check_order(case, 5, date, repeat_ok=True)
    chosen = _members(actor, members, "members", "培养联系人")
    gate(
        case,
        "step05.mentor_count",
        date,
        1 <= len(chosen) <= 2,
        f"指定了{len(chosen)}名培养联系人（{date:%Y-%m-%d}），应为1至2名",
    )
    for member in chosen:
        gate(
            case,
            "step05.mentor_full_member",
            date,
            member.status == MemberStatus.FULL,
            f"{member.name}为{member.get_status_display()}，不是正式党员（{date:%Y-%m-%d}）",
        )
    roles = list(roles or [MentorRole.GENERAL] * len(chosen))
    if len(roles) != len(chosen) or any(role not in MentorRole.values for role in roles):
        raise ValidationError(
            {"roles": "培养联系人类别：与党员一一对应，取值 general/political/professional"}
        )
    # Dual mentors are a pair (political + professional, registered in one call or two): a new mentor ends
    # only the open mentor of the same role; a general mentor replaces everyone, and ends any general one.
    replaced = set(MentorRole.values) if MentorRole.GENERAL in roles else {*roles, MentorRole.GENERAL}
    case.mentors.filter(ended_on__isnull=True, role__in=replaced).update(ended_on=date)
    for member, role in zip(chosen, roles, strict=True):
        Mentor.objects.create(case=case, org_path=case.org_path, member=member, role=role, assigned_on=date)
    audit.record(
        actor=actor,
        action="recruitment.mentors.assigned",
        target=case,
        org=case.organisation,
        after={"members": [m.pk for m in chosen], "roles": roles, "date": date},
    )
    return add_step(actor, case, 5, date, actors=[m.name for m in chosen])


@transaction.atomic
def record_assessment(*, actor, case, date, summary: str):
    """Step 6: an assessment every half year (overdue alert, fzdy 第12条)."""
    case = lock_case(actor, case)
    check_order(case, 6, date)
    since = case.last_assessment_on or case.activist_on
    due = rules.due_date(rules.effective_rule("step06.assessment_interval", date, case.org_path), since)
    alerts = alert(
        case,
        "step06.assessment_interval",
        date,
        bool(due and date > due.date),
        lambda: f"上次 {since:%Y-%m-%d}，最迟 {due.label}（含）考察，实际 {date:%Y-%m-%d}",  # type: ignore[union-attr]
    )
    summary = text({"summary": summary}, "summary", "考察意见")
    return add_step(actor, case, 6, date, fields={"summary": summary}, alerts=alerts)


@transaction.atomic
def designate_target(*, actor, case, date, basis: str = ""):
    """Step 7: ≥ 1 year as activist (gate, fzdy 第13条); from fzdy-2026 the higher committee's
    consent and a notice of ≥ 5 working days first (R).  Every gate comes from the step's rule state
    (`selectors.state.step_state`): the order (filing, mentors, an assessment), the year, the consent, the notice."""
    case = lock_case(actor, case)
    check_order(case, 7, date)
    overridden = enforce(case, 7, date)
    return add_step(actor, case, 7, date, fields={"basis": basis or ""}, overridden=overridden)


def _under_probation_in_party(member: Member, day) -> bool:
    """Under 留党察看 on `day`, decided from the punishment's dates (《中国共产党章程》第四十条: 留党察看最长
    不超过二年; 察看期间没有表决权、选举权和被选举权; 确已改正错误的，应当恢复其党员的权利): from its decision date
    (inclusive) until the day rights were restored (`rights_restored_on`, from which the member has standing
    again), else through its last day (`ends_on`), else through the longest period, decision date + 2 years.
    A 留党察看 is a punishment whose title names it (there is no code table of punishments)."""
    records = RewardPunishment.objects.filter(
        member=member, kind=RecordKind.PUNISHMENT, title__contains=PROBATION_IN_PARTY, decided_on__lte=day
    )
    for decided_on, ends_on, restored_on in records.values_list(
        "decided_on", "ends_on", "rights_restored_on"
    ):
        if restored_on is not None:
            if day < restored_on:
                return True
            continue
        if day <= (ends_on or add_years(decided_on, 2)):
            return True
    return False


@transaction.atomic
def name_sponsors(*, actor, case, date, members):
    """Step 9: exactly two full members, none under 留党察看 without restored rights (gate,
    《中国共产党发展党员工作细则》第十四条)."""
    case = lock_case(actor, case)
    check_order(case, 9, date, repeat_ok=True)
    chosen = _members(actor, members, "members", "入党介绍人")
    gate(
        case,
        "step09.sponsor_count",
        date,
        len(chosen) == 2,
        f"确定了{len(chosen)}名入党介绍人（{date:%Y-%m-%d}），应为2名",
    )
    for member in chosen:
        under = _under_probation_in_party(member, date)
        ok = member.status == MemberStatus.FULL and not under
        reason = (
            "受留党察看处分、尚未恢复党员权利" if under else f"为{member.get_status_display()}，不是正式党员"
        )
        gate(case, "step09.sponsor_standing", date, ok, f"{member.name}{reason}（{date:%Y-%m-%d}）")
    case.sponsors.filter(ended_on__isnull=True).update(ended_on=date)
    for member in chosen:
        Sponsor.objects.create(case=case, org_path=case.org_path, member=member, named_on=date)
    audit.record(
        actor=actor,
        action="recruitment.sponsors.named",
        target=case,
        org=case.organisation,
        after={"members": [m.pk for m in chosen], "date": date},
    )
    return add_step(actor, case, 9, date, actors=[m.name for m in chosen])


@transaction.atomic
def record_vetting(*, actor, case, date, reviewer_name: str, outcome: str, conclusion: str):
    """Step 10: a written conclusion (pass/fail), recorded like a sign-off; no outside systems."""
    case = lock_case(actor, case)
    check_order(case, 10, date, repeat_ok=True)
    if outcome not in (Outcome.PASS, Outcome.FAIL):
        raise ValidationError({"outcome": "审查结论：应为 pass（合格）或 fail（不合格）"})
    reviewer_name = text({"reviewer_name": reviewer_name}, "reviewer_name", "审查人", limit=50)
    conclusion = text({"conclusion": conclusion}, "conclusion", "书面结论")
    Vetting.objects.create(
        case=case,
        org_path=case.org_path,
        reviewer_name=reviewer_name,
        reviewer=actor,
        concluded_on=date,
        outcome=outcome,
        conclusion=conclusion,
    )
    return add_step(actor, case, 10, date, outcome=outcome, actors=[reviewer_name])


def _decimal(value, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise ValidationError({field: f"{label}：应为数字"})
    if number < 0 or number > 1000:
        raise ValidationError({field: f"{label}：应在0至1000之间"})
    return number


@transaction.atomic
def record_training(
    *, actor, case, date, ended_on=None, provider: str, days=0, hours=0, certificate: str = ""
):
    """Step 11: concentrated training; the ≥ 3 days / ≥ 24 hours gate is checked at pre-review."""
    case = lock_case(actor, case)
    check_order(case, 11, date)
    ended_on = ended_on or date
    if not isinstance(ended_on, datetime.date) or ended_on < date or ended_on > today():
        raise ValidationError({"ended_on": "结束日期：不能早于开始日期，也不能晚于今天"})
    provider = text({"provider": provider}, "provider", "培训单位", limit=200)
    days, hours = _decimal(days, "days", "天数"), _decimal(hours, "hours", "学时")
    if not days and not hours:
        raise ValidationError({"days": "天数：天数和学时至少填写一项"})
    TrainingRecord.objects.create(
        case=case,
        org_path=case.org_path,
        provider=provider,
        started_on=date,
        ended_on=ended_on,
        days=days,
        hours=hours,
        certificate=certificate or "",
    )
    return add_step(actor, case, 11, ended_on, fields={"days": str(days), "hours": str(hours)})


def check_training(case, day) -> bool:
    """≥ 3 days or ≥ 24 hours in total (fzdy 第18条): either rule met passes both."""
    totals = TrainingRecord.objects.filter(case=case).aggregate(days=Sum("days"), hours=Sum("hours"))
    days, hours = totals["days"] or 0, totals["hours"] or 0
    day_rule = rules.effective_rule("step11.training_min_days", day, case.org_path)
    hour_rule = rules.effective_rule("step11.training_min_hours", day, case.org_path)
    ok = (day_rule is not None and days >= day_rule.minimum) or (  # type: ignore[operator]
        hour_rule is not None and hours >= hour_rule.minimum  # type: ignore[operator]
    )
    return gate(
        case,
        "step11.training_min_days",
        day,
        ok,
        f"截至 {day:%Y-%m-%d} 集中培训共{days}天、{hours}学时，应不少于"
        f"{rules.amount_text(day_rule.minimum, 'days') if day_rule else '3日'}"
        f"或{rules.amount_text(hour_rule.minimum, 'hours') if hour_rule else '24学时'}",
    )
