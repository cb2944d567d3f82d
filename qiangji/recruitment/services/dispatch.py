"""`record_step(case, step_code, date, fields)`: one entry point for the API (and forms) that maps a
step code and its JSON fields onto the service for that step, so every caller gets the same gates.

Besides the 25 step codes (choices.STEPS) it accepts the actions that sit between steps:
`consent` (higher committee consent before step 7), `notice`, `objection`, `objection_resolution`,
`gate_override`, `transfer`.
"""

import datetime

from django.core.exceptions import ValidationError

from qiangji.core.dates import parse_cn_date
from qiangji.recruitment.choices import STEP_CODES, SignOffLevel
from qiangji.recruitment.services import cases, meetings, notices, signoffs, steps

# Branch meetings take the attendance list; the numbers are computed from it, never typed (step 15, 23).
BALLOT = ("attendance", "probationary_present", "chair", "minutes")
DATE_FIELDS = ("ended_on", "received_on", "resolved_on", "leaving_unit_on")


def _signoff(level):
    def call(*, actor, case, date, **fields):
        return signoffs.record_signoff(actor=actor, case=case, level=level, date=date, **fields)

    return call


def _filing(step):
    def call(*, actor, case, date, **fields):
        return steps.record_filing(actor=actor, case=case, step=step, date=date, **fields)

    return call


def _confirmation_meeting(*, actor, case, date, decision="confirmed", **fields):
    services = {
        "confirmed": meetings.confirm,
        "extended": meetings.extend_probation,
        "cancelled": meetings.cancel_probation,
    }
    if decision not in services:
        raise ValidationError(
            {"decision": "决定：应为 confirmed（转正）、extended（延长预备期）或 cancelled（取消资格）"}
        )
    return services[decision](actor=actor, case=case, date=date, **fields)


def _notice(*, actor, case, date, purpose, working_days, place, text):
    return notices.publish_notice(
        actor=actor,
        case=case,
        purpose=purpose,
        starts_on=date,
        working_days=working_days,
        place=place,
        text_=text,
    )


def _objection(*, actor, case, date, notice, summary):
    _own(case, _pk(notice, "notice", "公示"), "notices")
    return notices.record_objection(actor=actor, notice=notice, received_on=date, summary=summary)


def _resolution(*, actor, case, date, objection, resolution, upheld=False):
    objection = _pk(objection, "objection", "问题")
    if not case.notices.filter(objections__pk=objection).exists():
        raise ValidationError({"objection": "问题：不属于该发展党员记录"})
    return notices.resolve_objection(
        actor=actor, objection=objection, resolved_on=date, resolution=resolution, upheld=upheld
    )


def _pk(value, field, label) -> int:
    """An id from a caller other than the API (which validates it first): an integer or a 400."""
    if isinstance(value, bool) or not str(value).isdigit():
        raise ValidationError({field: f"{label}：应为编号（整数），收到 {value!r}"})
    return int(value)


def _admission_form(*, actor, case, date, form_range=None):
    if form_range is not None and not hasattr(form_range, "pk"):
        form_range = _pk(form_range, "form_range", "入党志愿书编号段")
    return meetings.issue_admission_form(actor=actor, case=case, date=date, form_range=form_range)


def _own(case, pk, relation):
    if not getattr(case, relation).filter(pk=pk).exists():
        raise ValidationError({"notice": "公示：不属于该发展党员记录"})


# code → (service, allowed field names)
SERVICES = {
    "talk": (steps.record_talk, ("talker", "summary")),
    "activist": (steps.designate_activist, ("basis",)),
    "activist_filing": (_filing(4), ("note",)),
    "mentors": (steps.assign_mentors, ("members", "roles")),
    "assessment": (steps.record_assessment, ("summary",)),
    "consent": (_signoff(SignOffLevel.CONSENT), ("outcome", "person_name", "reason", "organisation")),
    "target": (steps.designate_target, ("basis",)),
    "target_filing": (_filing(8), ("note",)),
    "sponsors": (steps.name_sponsors, ("members",)),
    "vetting": (steps.record_vetting, ("reviewer_name", "outcome", "conclusion")),
    "training": (steps.record_training, ("ended_on", "provider", "days", "hours", "certificate")),
    "branch_review": (_signoff(SignOffLevel.BRANCH_COMMITTEE), ("outcome", "person_name", "reason")),
    "pre_review": (
        _signoff(SignOffLevel.PRE_REVIEW),
        ("outcome", "person_name", "reason", "organisation", "leaving_unit_on"),
    ),
    "admission_form": (_admission_form, ("form_range",)),
    "branch_meeting": (meetings.hold_branch_meeting, BALLOT + ("passed",)),
    "higher_talk": (_filing(16), ("note",)),
    "approval": (signoffs.approve_admission, ("outcome", "person_name", "reason", "organisation")),
    "approval_filing": (_filing(18), ("note",)),
    "placement": (_filing(19), ("note",)),
    "oath": (meetings.administer_oath, ("place",)),
    "probation": (_filing(21), ("note",)),
    "confirmation_application": (meetings.apply_for_confirmation, ("note",)),
    "confirmation_meeting": (_confirmation_meeting, BALLOT + ("decision", "months", "reason")),
    "confirmation_approval": (
        _signoff(SignOffLevel.CONFIRMATION_APPROVAL),
        ("outcome", "person_name", "reason", "organisation"),
    ),
    "archive": (lambda *, date, **kw: cases.archive_case(archived_on=date, **kw), ("allow_missing",)),
    "notice": (_notice, ("purpose", "working_days", "place", "text")),
    "objection": (_objection, ("notice", "summary")),
    "objection_resolution": (_resolution, ("objection", "resolution", "upheld")),
    "gate_override": (lambda *, date, **kw: cases.record_gate_override(**kw), ("rule_code", "reason")),
    "transfer": (
        lambda *, date, **kw: cases.transfer_case(transferred_on=date, **kw),
        ("organisation", "reason"),
    ),
}
CODES = tuple(SERVICES)


def record_step(*, actor, case, step_code: str, date, fields: dict | None = None):
    """Record one step (or between-step action) on a case; returns what the service created."""
    if step_code == "application":
        raise ValidationError({"step": "第1步“递交入党申请书”请通过新建入党申请办理"})
    if step_code not in SERVICES:
        known = "、".join(code for code in SERVICES if code in STEP_CODES)
        raise ValidationError({"step": f"步骤代码：“{step_code}”不存在，可用代码：{known} 等"})
    service, allowed = SERVICES[step_code]
    fields = dict(fields or {})
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError(
            {"fields": f"内容：该步骤不接受字段 {', '.join(unknown)}；可用字段：{', '.join(allowed)}"}
        )
    for key in DATE_FIELDS:
        if key in fields:
            fields[key] = _date(fields[key], key)
    return service(actor=actor, case=case, date=date, **fields)


def _date(value, key):
    if isinstance(value, datetime.date):
        return value
    try:
        return parse_cn_date(value)
    except ValueError as exc:
        raise ValidationError({key: f"{key}：{exc}"})
