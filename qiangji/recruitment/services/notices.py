"""Public notices (公示) and objections: the next step waits until the window has closed and every
objection is resolved (docs/rules.md §1, notices: L; national before development target from fzdy-2026, R)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.recruitment import rules
from qiangji.recruitment.choices import NOTICE_BLOCKS_STEP, NoticePurpose
from qiangji.recruitment.models import Objection, PublicNotice
from qiangji.recruitment.services.base import enforce, lock_case, text

NOTICE_AUDIT = ("purpose", "place", "starts_on", "working_days", "ends_on", "provisional")


def check_notices(case, purpose: str, day) -> bool:
    """Gates before the step a notice precedes, from the step's rule state (`selectors.state.step_state`):
    a long-enough notice if required (one must exist), every notice for that step closed before `day`
    with its objections resolved.  Returns True if overridden."""
    step = NOTICE_BLOCKS_STEP[purpose]  # type: ignore[index]
    return enforce(case, step, day, codes={f"step{step:02d}.notice_min", f"step{step:02d}.notice_closed"})


@transaction.atomic
def publish_notice(
    *, actor, case, purpose: str, starts_on, working_days: int, place: str, text_: str
) -> PublicNotice:
    """A notice of `working_days` working days from `starts_on` (its end comes from the holiday calendar)."""
    case = lock_case(actor, case)
    if purpose not in NoticePurpose.values:
        raise ValidationError({"purpose": f"公示事项：代码“{purpose}”不在代码表中"})
    if not isinstance(starts_on, datetime.date):
        raise ValidationError({"starts_on": "开始日期：必填，格式如 2025-09-29"})
    if not isinstance(working_days, int) or not 1 <= working_days <= 30:
        raise ValidationError({"working_days": "公示期（工作日）：应为1至30的整数"})
    step = NOTICE_BLOCKS_STEP[purpose]  # type: ignore[index]
    rule = rules.effective_rule(f"step{step:02d}.notice_min", starts_on, case.org_path)
    if rule is not None and rule.enabled and rule.minimum is not None and working_days < rule.minimum:
        raise rules.violation(
            rule,
            f"公示期为{working_days}个工作日（自 {starts_on:%Y-%m-%d} 起），"
            f"应不少于{rules.amount_text(rule.minimum, 'working_days')}",
        )
    end = rules.notice_end(starts_on, working_days)
    notice = PublicNotice.objects.create(
        case=case,
        org_path=case.org_path,
        purpose=purpose,
        starts_on=starts_on,
        working_days=working_days,
        ends_on=end.date,
        provisional=end.provisional,
        place=text({"place": place}, "place", "公示地点", limit=200),
        text=text({"text": text_}, "text", "公示内容", limit=5000),
        published_by=actor,
    )
    audit.record(
        actor=actor,
        action="recruitment.notice.published",
        target=case,
        org=case.organisation,
        after=audit.snapshot(notice, NOTICE_AUDIT) | {"notice": notice.pk},
    )
    return notice


def _notice_for_change(actor, notice) -> PublicNotice:
    found = get_in_scope_or_404(PublicNotice, actor, notice, Action.CHANGE)
    lock_case(actor, found.case_id)
    return found


@transaction.atomic
def record_objection(*, actor, notice, received_on, summary: str) -> Objection:
    notice = _notice_for_change(actor, notice)
    if not isinstance(received_on, datetime.date) or received_on > today():
        raise ValidationError({"received_on": "收到日期：必填，且不能晚于今天"})
    if not notice.starts_on <= received_on <= notice.ends_on:
        raise ValidationError(
            {
                "received_on": f"收到日期：应在公示期 {notice.starts_on:%Y-%m-%d} 至 "
                f"{notice.ends_on:%Y-%m-%d} 之内"
            }
        )
    objection = Objection.objects.create(
        notice=notice,
        org_path=notice.org_path,
        received_on=received_on,
        summary=text({"summary": summary}, "summary", "反映内容"),
    )
    audit.record(
        actor=actor,
        action="recruitment.objection.recorded",
        target=notice.case,
        org_path=notice.org_path,
        after={"notice": notice.pk, "objection": objection.pk, "received_on": received_on},
    )
    return objection


@transaction.atomic
def resolve_objection(*, actor, objection, resolved_on, resolution: str, upheld: bool = False) -> Objection:
    """Resolve an objection; `upheld` (属实) keeps the step the notice is for blocked."""
    found = get_in_scope_or_404(
        Objection, actor, objection, Action.CHANGE, queryset=Objection.objects.select_related("notice")
    )
    lock_case(actor, found.notice.case_id)
    if found.resolved_on:
        raise ValidationError({"resolved_on": f"处理日期：该问题已于 {found.resolved_on:%Y-%m-%d} 处理"})
    if not isinstance(resolved_on, datetime.date) or resolved_on > today() or resolved_on < found.received_on:
        raise ValidationError({"resolved_on": "处理日期：必填，不能早于收到日期，也不能晚于今天"})
    if not isinstance(upheld, bool):
        raise ValidationError({"upheld": "反映问题是否属实：应为 true 或 false"})
    found.resolution = text({"resolution": resolution}, "resolution", "处理结果")
    found.resolved_on, found.resolved_by, found.upheld = resolved_on, actor, upheld
    found.save()
    audit.record(
        actor=actor,
        action="recruitment.objection.resolved",
        target=found.notice.case,
        org_path=found.org_path,
        after={
            "objection": found.pk,
            "resolved_on": resolved_on,
            "resolution": found.resolution,
            "upheld": found.upheld,
        },
    )
    return found
