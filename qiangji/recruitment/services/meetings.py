"""Admission form (14), branch general meetings (15, 23) with quorum and vote arithmetic, oath (20),
confirmation application (22), probation outcomes (confirmed / extended once / cancelled).

Vote arithmetic (fzdy 第22、31条; docs/rules.md §1 steps 15 and 23): only full members are entitled to
vote; quorum is met when voting members present > ½ of those entitled; a resolution passes when
the votes in favour (ballots of those present plus prior written opinions of absent members)
exceed ½ of the full members entitled.  Probationary members present are recorded but never count.
A branch with fewer than 3 full members may not vote, nor borrow members from another branch.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from qiangji.core import audit
from qiangji.core.dates import add_months, add_years
from qiangji.members.choices import Category, MemberStatus
from qiangji.members.models import Member
from qiangji.members.selectors import voting_roll
from qiangji.members.services import create_member, record_status_event
from qiangji.recruitment import rules
from qiangji.recruitment.choices import (
    CaseStatus,
    MeetingPurpose,
    NoticePurpose,
    Outcome,
    ProbationOutcome,
    SignOffLevel,
)
from qiangji.recruitment.models import (
    AdmissionForm,
    AdmissionFormRange,
    BranchMeeting,
    MeetingVote,
    ProbationDecision,
)
from qiangji.recruitment.models.records import MeetingAttendance
from qiangji.recruitment.services.base import add_step, alert, check_order, enforce, gate, lock_case, text
from qiangji.recruitment.services.notices import check_notices


@dataclass
class Ballot:
    entitled: int
    present: int
    votes_for: int
    votes_against: int = 0
    abstentions: int = 0
    written_opinions: int = 0
    written_for: int = 0
    probationary_present: int = 0

    @classmethod
    def from_values(cls, values: dict) -> "Ballot":
        numbers = {}
        for name in cls.__dataclass_fields__:
            raw = values.get(name, 0 if name not in ("entitled", "present", "votes_for") else None)
            try:
                numbers[name] = int(raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise ValidationError({name: f"{BALLOT_LABELS[name]}：应为不小于0的整数"})
            if numbers[name] < 0:
                raise ValidationError({name: f"{BALLOT_LABELS[name]}：应为不小于0的整数"})
        return cls(**numbers)

    @property
    def quorate(self) -> bool:
        return 2 * self.present > self.entitled

    @property
    def passes(self) -> bool:
        return 2 * self.votes_for > self.entitled


CHOICES = {"for": "赞成", "against": "反对", "abstain": "弃权"}


@dataclass
class Roll:
    """The attendance list of one vote: who was entitled (from the registry on the day), each line as
    given, and the numbers computed from them (never typed)."""

    ballot: Ballot
    lines: list  # (member, role, present, reason, choice, written)

    @classmethod
    def from_attendance(cls, case, day, attendance, probationary_present=()) -> "Roll":
        roll = {member.pk: member for member in voting_roll(case.organisation, day)}
        rows = attendance if isinstance(attendance, list | tuple) else None
        if rows is None or not all(isinstance(row, dict) for row in rows):
            raise ValidationError(
                {"attendance": "到会情况：应为列表，每项含 member、present、vote（缺席时 reason）"}
            )
        lines, seen, errors = [], set(), []
        for index, row in enumerate(rows, 1):
            member = roll.get(_pk(row.get("member"), "attendance", f"到会情况第{index}项的党员"))
            if member is None:
                errors.append(
                    f"第{index}项党员 {row.get('member')} 不是“{case.organisation.name}”{day:%Y-%m-%d} "
                    f"有表决权的正式党员（预备党员、受留党察看处分的党员和其他支部的党员没有表决权）"
                )
                continue
            if member.pk in seen:
                errors.append(f"{member.name}登记了两次")
                continue
            seen.add(member.pk)
            present = row.get("present")
            if not isinstance(present, bool):
                errors.append(f"{member.name}：请选择到会或缺席")
                continue
            choice = row.get("vote") if present else row.get("written_opinion")
            reason = str(row.get("reason") or "").strip()[:200]
            if present and choice not in CHOICES:
                errors.append(f"{member.name}：到会党员请选择赞成、反对或弃权")
            elif not present and not reason:
                errors.append(f"{member.name}：缺席须写明原因")
            elif not present and choice not in (None, "", *CHOICES):
                errors.append(f"{member.name}：书面意见应为赞成、反对或弃权")
            else:
                lines.append(
                    (
                        member,
                        "voter",
                        present,
                        "" if present else reason,
                        choice or "",
                        not present and bool(choice),
                    )
                )
        missing = [member.name for pk, member in roll.items() if pk not in seen]
        if missing:
            errors.append(f"未登记 {'、'.join(missing)} 的到会情况（应到会的是全体有表决权的正式党员）")
        if errors:
            raise ValidationError({"attendance": "到会情况：" + "；".join(errors)})
        observers = cls._observers(case, day, probationary_present)
        voters = [line for line in lines if line[2]]
        written = [line for line in lines if line[5]]
        count = lambda group, choice: sum(1 for line in group if line[4] == choice)  # noqa: E731
        ballot = Ballot(
            entitled=len(roll),
            present=len(voters),
            votes_for=count(voters, "for") + count(written, "for"),
            votes_against=count(voters, "against") + count(written, "against"),
            abstentions=count(voters, "abstain") + count(written, "abstain"),
            written_opinions=len(written),
            written_for=count(written, "for"),
            probationary_present=len(observers),
        )
        return cls(ballot, lines + [(m, "observer", True, "", "", False) for m in observers])

    @staticmethod
    def _observers(case, day, ids) -> list:
        if ids in (None, ""):
            return []
        if not isinstance(ids, list | tuple):
            raise ValidationError({"probationary_present": "列席的预备党员：应为党员编号的列表"})
        pks = [_pk(pk, "probationary_present", "列席的预备党员") for pk in ids]
        found = Member.objects.filter(
            organisation_id=case.organisation_id, status=MemberStatus.PROBATIONARY
        ).in_bulk(pks)
        missing = [str(pk) for pk in pks if pk not in found]
        if missing or len(set(pks)) != len(pks):
            raise ValidationError(
                {
                    "probationary_present": f"列席的预备党员：{', '.join(missing) or '有重复'}"
                    f"不是本支部的预备党员"
                }
            )
        return [found[pk] for pk in pks]


def _pk(value, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ValidationError({field: f"{label}：应为党员编号（整数），收到 {value!r}"})
    return int(value)


BALLOT_LABELS = {
    "entitled": "应到会有表决权的正式党员数",
    "present": "实到有表决权的正式党员数",
    "votes_for": "赞成票（含书面意见）",
    "votes_against": "反对票",
    "abstentions": "弃权票",
    "written_opinions": "书面意见数",
    "written_for": "书面赞成数",
    "probationary_present": "列席预备党员数",
}


def _check_arithmetic(ballot: Ballot) -> None:
    """Numbers that cannot be true are bad input (400), not a failed vote."""
    if ballot.present > ballot.entitled:
        raise ValidationError(
            {"present": "实到有表决权的正式党员数：不能多于应到人数（预备党员没有表决权，不计入）"}
        )
    if ballot.written_opinions > ballot.entitled - ballot.present:
        raise ValidationError({"written_opinions": "书面意见数：只有因故缺席的正式党员可提交书面意见"})
    if ballot.written_for > ballot.written_opinions:
        raise ValidationError({"written_for": "书面赞成数：不能多于书面意见数"})
    cast = ballot.votes_for - ballot.written_for + ballot.votes_against + ballot.abstentions
    if ballot.votes_for < ballot.written_for or cast > ballot.present:
        raise ValidationError(
            {"votes_for": f"赞成票（含书面意见）：到会投票数{cast}多于实到人数{ballot.present}"}
        )


def check_ballot(case, step: int, day, ballot: Ballot, *, claims_pass: bool, full: int | None = None) -> None:
    """`full`: the members entitled on the day (the roll); without it (numbers typed by a Python caller:
    the API and the phone form always send the attendance list) the branch's current full members."""
    _check_arithmetic(ballot)
    if full is None:
        full = Member.objects.filter(organisation_id=case.organisation_id, status=MemberStatus.FULL).count()
    prefix = f"step{step:02d}"
    gate(
        case,
        f"{prefix}.min_full_members",
        day,
        full >= 3,
        f"“{case.organisation.name}”只有{full}名正式党员（{day:%Y-%m-%d}），不足3人不能召开支部大会表决",
    )
    gate(
        case,
        f"{prefix}.min_full_members",
        day,
        ballot.entitled <= full,
        f"应到会有表决权的党员{ballot.entitled}人多于本支部正式党员{full}人，不能借用其他支部党员",
    )
    gate(
        case,
        f"{prefix}.quorum",
        day,
        ballot.quorate,
        f"{day:%Y-%m-%d} 应到会有表决权的正式党员{ballot.entitled}人，实到{ballot.present}人，未超过半数"
        f"（列席预备党员{ballot.probationary_present}人不计入）",
    )
    if claims_pass:
        gate(
            case,
            f"{prefix}.majority",
            day,
            ballot.passes,
            f"{day:%Y-%m-%d} 赞成{ballot.votes_for}票（含书面意见{ballot.written_for}），"
            f"未超过应到会有表决权的正式党员{ballot.entitled}人的半数",
        )
    elif ballot.passes:
        raise ValidationError({"passed": "表决结果：赞成票已超过半数，应为通过"})


def _save_meeting(
    actor, case, purpose, day, ballot: Ballot, passed: bool, chair="", minutes="", lines=()
) -> MeetingVote:
    attendees = sorted(line[0].pk for line in lines if line[2])
    meeting, _ = BranchMeeting.objects.get_or_create(
        organisation=case.organisation,
        purpose=purpose,
        held_on=day,
        entitled=ballot.entitled,
        present=ballot.present,
        defaults={
            "org_path": case.org_path,
            "probationary_present": ballot.probationary_present,
            "written_opinions": ballot.written_opinions,
            "chair": chair or "",
            "minutes": minutes or "",
            "attendee_ids": attendees,
            "created_by": actor,
        },
    )
    vote = MeetingVote.objects.create(
        meeting=meeting,
        case=case,
        org_path=case.org_path,
        votes_for=ballot.votes_for,
        votes_against=ballot.votes_against,
        abstentions=ballot.abstentions,
        written_for=ballot.written_for,
        passed=passed,
    )
    MeetingAttendance.objects.bulk_create(
        [
            MeetingAttendance(
                vote=vote,
                org_path=case.org_path,
                member=member,
                role=role,
                present=present,
                absence_reason=reason,
                choice=choice,
                written=written,
            )
            for member, role, present, reason, choice, written in lines
        ]
    )
    audit.record(
        actor=actor,
        action="recruitment.meeting.held",
        target=case,
        org=case.organisation,
        after={
            "meeting": meeting.pk,
            "purpose": purpose,
            "date": day,
            **ballot.__dict__,
            "quorate": ballot.quorate,
            "passed": passed,
            "attendance": [[line[0].pk, line[1], line[2]] for line in lines],
        },
    )
    return vote


@transaction.atomic
def issue_admission_form(*, actor, case, date, form_range=None) -> AdmissionForm:
    """Step 14: only after the pre-review passed (gate, fzdy 第20条); the number comes from a
    range held by a committee above the branch."""
    case = lock_case(actor, case)
    passed = case.signoffs.filter(
        level=SignOffLevel.PRE_REVIEW, outcome=Outcome.PASS, signed_on__lte=date
    ).exists()
    gate(case, "step13.pre_review_passed", date, passed, f"{date:%Y-%m-%d} 前没有预审合格的记录")
    check_order(case, 14, date)
    ranges = AdmissionFormRange.objects.select_for_update().filter(
        org_path__in=rules.path_and_ancestors(case.org_path), next_number__lte=F("last_number")
    )
    if form_range is not None:
        ranges = ranges.filter(pk=getattr(form_range, "pk", form_range))
    chosen = ranges.order_by("received_on", "id").first()
    if chosen is None:
        raise ValidationError({"form_range": "入党志愿书编号段：上级党委没有可用的编号，请先登记编号段"})
    number = f"{chosen.prefix}{chosen.next_number:0{chosen.width}d}"
    chosen.next_number += 1
    chosen.save(update_fields=["next_number"])
    form = AdmissionForm.objects.create(
        range=chosen, case=case, org_path=case.org_path, number=number, issued_on=date, issued_by=actor
    )
    audit.record(
        actor=actor,
        action="recruitment.form.issued",
        target=case,
        org=case.organisation,
        after={"number": number, "date": date},
    )
    add_step(actor, case, 14, date, fields={"number": number})
    return form


def _ballot(case, day, numbers: dict, attendance, probationary_present) -> tuple[Ballot, list, int | None]:
    """The vote's numbers from the attendance list (the API and the phone form); typed numbers only from
    Python callers that pass no list, and never together with one."""
    if attendance is None:
        if probationary_present is not None:
            numbers = {**numbers, "probationary_present": probationary_present}
        return Ballot.from_values(numbers), [], None
    typed = sorted(set(numbers) & set(Ballot.__dataclass_fields__))
    if typed:
        raise ValidationError({typed[0]: f"{BALLOT_LABELS[typed[0]]}：由到会名单计算，不能填写"})
    roll = Roll.from_attendance(case, day, attendance, probationary_present)
    return roll.ballot, roll.lines, roll.ballot.entitled


@transaction.atomic
def hold_branch_meeting(
    *,
    actor,
    case,
    date,
    passed: bool | None = None,
    chair: str = "",
    minutes: str = "",
    attendance=None,
    probationary_present=None,
    **numbers,
) -> MeetingVote:
    """Step 15: the branch general meeting votes on one candidate, from the attendance list: every member
    entitled on the day (`members.selectors.voting_roll`) present with a vote or absent with a reason
    (and an optional prior written opinion); `passed` defaults to the computed outcome. If it passes, the
    person enters the registry as a probationary member (dues from that month), probation from `date`."""
    case = lock_case(actor, case)
    check_order(case, 15, date)
    ballot, lines, full = _ballot(case, date, numbers, attendance, probationary_present)
    if passed is None:  # typed numbers (Python callers) claim a pass, as before; a list is counted
        passed = ballot.passes if attendance is not None else True
    overridden = check_notices(case, NoticePurpose.ADMISSION, date)
    rule = rules.effective_rule("step15.within_after_pre_review", date, case.org_path)
    due = rules.due_date(rule, case.pre_reviewed_on) if rule else None
    overridden |= gate(
        case,
        "step15.within_after_pre_review",
        date,
        due is None or date <= due.date,
        lambda: (
            f"预审通过日期 {case.pre_reviewed_on:%Y-%m-%d}，应于 {due.label} 前召开支部大会，"  # type: ignore[union-attr]
            f"本次日期 {date:%Y-%m-%d}"
        ),
    )
    check_ballot(case, 15, date, ballot, claims_pass=passed, full=full)
    vote = _save_meeting(actor, case, MeetingPurpose.ADMISSION, date, ballot, passed, chair, minutes, lines)
    outcome = Outcome.PASS if passed else Outcome.FAIL
    add_step(
        actor,
        case,
        15,
        date,
        outcome=outcome,
        overridden=overridden,
        fields={"vote": vote.pk, **ballot.__dict__},
    )
    if passed:
        _admit(actor, case, date)
    return vote


def _admit(actor, case, day) -> None:
    member = create_member(
        actor=actor,
        organisation=case.organisation,
        values={
            "name": case.name,
            "sex": case.sex,
            "ethnicity": case.ethnicity,
            "id_number": case.id_number,
            "birth_date": case.birth_date,
            "education": case.education,
            "employer": case.employer,
            "address": case.address,
            "phone": case.phone,
            "category": Category.PROBATIONARY,
            "status": MemberStatus.PROBATIONARY,
            "joined_on": day,
            "status_since": day,
        },
    )
    rule = rules.effective_rule("step21.probation_period", day, case.org_path)
    years = int(rule.minimum) if rule and rule.minimum else 1
    case.member, case.status, case.admitted_on = member, CaseStatus.PROBATIONARY, day
    case.probation_ends_on = add_years(day, years)
    case.dues_start_month = day.replace(day=1)  # docs/rules.md §1: dues from the month the meeting admits
    case.save()


@transaction.atomic
def administer_oath(*, actor, case, date, place: str = ""):
    """Step 20: from fzdy-2026 generally within 1 month of approval (R, alert)."""
    case = lock_case(actor, case)
    check_order(case, 20, date)
    due = rules.due_date(rules.effective_rule("step20.oath_within", date, case.org_path), case.approved_on)
    alerts = alert(
        case,
        "step20.oath_within",
        date,
        bool(due and date > due.date),
        lambda: f"批准日期 {case.approved_on:%Y-%m-%d}，应于 {due.label} 前宣誓，实际 {date:%Y-%m-%d}",  # type: ignore[union-attr]
    )
    return add_step(actor, case, 20, date, fields={"place": place or ""}, alerts=alerts)


@transaction.atomic
def apply_for_confirmation(*, actor, case, date, note: str = ""):
    """Step 22: the probationary member applies in writing when probation ends: after placement and the
    oath (`step22.order`) and no earlier than one month before the end (`step22.application_window`,
    gate) — both from the step's rule state in check_order."""
    case = lock_case(actor, case)
    check_order(case, 22, date, repeat_ok=case.probation_extended)
    return add_step(actor, case, 22, date, fields={"note": note or ""})


def _confirmation_meeting(actor, case, date, numbers, chair, minutes, *, passed=True):
    """Shared part of the three outcomes: order, notice, probation over, alerts, ballot."""
    check_order(case, 23, date)
    numbers = dict(numbers)
    ballot, lines, full = _ballot(
        case, date, numbers, numbers.pop("attendance", None), numbers.pop("probationary_present", None)
    )
    overridden = check_notices(case, NoticePurpose.CONFIRMATION, date)
    ends = case.probation_ends_on
    alerts = []
    for code in ("step23.meeting_within", "step23.meeting_limit"):
        due = rules.due_date(rules.effective_rule(code, date, case.org_path), ends)
        alerts += alert(
            case,
            code,
            date,
            bool(due and date > due.date),
            lambda due=due: f"预备期 {ends:%Y-%m-%d} 届满，应于 {due.label} 前讨论，实际 {date:%Y-%m-%d}",
        )
    check_ballot(case, 23, date, ballot, claims_pass=passed, full=full)
    vote = _save_meeting(
        actor, case, MeetingPurpose.CONFIRMATION, date, ballot, passed, chair, minutes, lines
    )
    return vote, ballot, overridden, alerts


def _probation_over(case, day) -> None:
    """Confirmed or extended only when probation has ended (`step21.probation_period` in the rule state
    of step 23: "held when probation ends, not before"; the day it ends counts)."""
    enforce(case, 23, day, codes={"step21.probation_period"})


def _decide(actor, case, vote, day, outcome, reason="", months=None, new_end=None) -> ProbationDecision:
    decision = ProbationDecision.objects.create(
        case=case,
        org_path=case.org_path,
        meeting=vote.meeting,
        decided_on=day,
        outcome=outcome,
        extension_months=months,
        new_end_on=new_end,
        reason=reason,
    )
    audit.record(
        actor=actor,
        action="recruitment.probation.decided",
        target=case,
        org=case.organisation,
        after={"outcome": outcome, "date": day, "months": months, "new_end_on": new_end, "reason": reason},
    )
    return decision


@transaction.atomic
def confirm(*, actor, case, date, chair: str = "", minutes: str = "", **numbers) -> ProbationDecision:
    """Step 23, confirmed on time: full member, Party standing from the day probation ended."""
    case = lock_case(actor, case)
    _probation_over(case, date)
    vote, ballot, overridden, alerts = _confirmation_meeting(actor, case, date, numbers, chair, minutes)
    case.confirmed_on, case.status = case.probation_ends_on, CaseStatus.CONFIRMED
    add_step(
        actor,
        case,
        23,
        date,
        outcome=Outcome.PASS,
        overridden=overridden,
        alerts=alerts,
        fields={"decision": ProbationOutcome.CONFIRMED, "vote": vote.pk, **ballot.__dict__},
    )
    record_status_event(
        actor=actor,
        member=case.member,
        status=MemberStatus.FULL,
        effective_on=case.probation_ends_on,
        reason="预备期满，支部大会通过转为正式党员",
    )
    return _decide(actor, case, vote, date, ProbationOutcome.CONFIRMED)


@transaction.atomic
def extend_probation(
    *, actor, case, date, months, reason: str, chair: str = "", minutes: str = "", **numbers
) -> ProbationDecision:
    """Step 23, extended: once only, at least half a year and at most one year (gate, fzdy 第30条),
    decided when probation ends, not before (`step21.probation_period`)."""
    case = lock_case(actor, case)
    _probation_over(case, date)
    reason = text({"reason": reason}, "reason", "延长预备期理由")
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise ValidationError({"months": "延长月数：应为整数"})
    rule = rules.effective_rule("step23.extension", date, case.org_path)
    low, high = (int(rule.minimum), int(rule.maximum)) if rule else (6, 12)  # type: ignore[arg-type]
    gate(
        case,
        "step23.extension",
        date,
        not case.probation_extended,
        f"预备期已于此前延长过一次（现届满日期 {case.probation_ends_on:%Y-%m-%d}），不能再次延长",
    )
    gate(
        case,
        "step23.extension",
        date,
        low <= months <= high,
        f"延长{months}个月（{date:%Y-%m-%d}），应不少于{low}个月、不超过{high}个月",
    )
    vote, ballot, overridden, alerts = _confirmation_meeting(actor, case, date, numbers, chair, minutes)
    new_end = add_months(case.probation_ends_on, months)
    case.probation_ends_on, case.probation_extended = new_end, True
    case.save()
    # Outcome "return": step 23 is to be held again when the extended probation ends.
    add_step(
        actor,
        case,
        23,
        date,
        outcome=Outcome.RETURN,
        overridden=overridden,
        alerts=alerts,
        fields={
            "decision": ProbationOutcome.EXTENDED,
            "months": months,
            "new_end_on": new_end.isoformat(),
            "vote": vote.pk,
        },
    )
    return _decide(actor, case, vote, date, ProbationOutcome.EXTENDED, reason, months, new_end)


@transaction.atomic
def cancel_probation(
    *, actor, case, date, reason: str, chair: str = "", minutes: str = "", **numbers
) -> ProbationDecision:
    """Step 23, cancelled: the probationary member leaves the roll (may be decided before probation ends)."""
    case = lock_case(actor, case)
    case.__dict__["_waived"] = frozenset({"step21.probation_period"})
    reason = text({"reason": reason}, "reason", "取消预备党员资格理由")
    vote, ballot, overridden, alerts = _confirmation_meeting(actor, case, date, numbers, chair, minutes)
    case.status = CaseStatus.CANCELLED
    case.save()
    add_step(
        actor,
        case,
        23,
        date,
        outcome=Outcome.FAIL,
        overridden=overridden,
        alerts=alerts,
        fields={"decision": ProbationOutcome.CANCELLED, "vote": vote.pk},
    )
    record_status_event(
        actor=actor,
        member=case.member,
        status=MemberStatus.LEFT,
        effective_on=date,
        reason=f"支部大会决定取消预备党员资格：{reason}"[:255],
    )
    return _decide(actor, case, vote, date, ProbationOutcome.CANCELLED, reason)
