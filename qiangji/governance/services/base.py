"""What every governance service shares: refusals that are audited, masking and the disclosure check,
who may take a step (the village, the township above it, the county), numbering.

A refused action is rolled back whole (nothing half-saved) and then recorded: `audited_refusal` wraps a
service so that its `ValidationError` is written as a `governance.refused` audit entry in a transaction of
its own after the service's transaction has been undone."""

import functools
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.governance.choices import StepRole
from qiangji.governance.selectors import mask_name

ACTION_LABELS = {
    "governance.item.adopted": "县级采用小微权力事项模板",
    "governance.item.updated": "修改小微权力事项",
    "governance.step.saved": "修改小微权力事项办理环节",
    "governance.case.opened": "受理小微权力事项",
    "governance.case.step": "办理小微权力事项环节",
    "governance.objection.raised": "登记公示异议",
    "governance.objection.resolved": "处理公示异议",
    "governance.contact.added": "指定村级监督联系人",
    "governance.report.received": "受理举报",
    "governance.report.closed": "举报办结",
    "governance.report.read_refused": "拒绝查阅举报（被反映人或无权查阅）",
    "governance.rule.adopted": "县级采用村级重大事项决策清单",
    "governance.rule.updated": "修改村级重大事项决策清单",
    "governance.representative.added": "登记村民代表",
    "governance.decision.proposed": "村党组织提议",
    "governance.decision.discussed": "村“两委”会议商议",
    "governance.decision.voted": "党员大会审议/村民代表会议决议",
    "governance.decision.published": "决议公开",
    "governance.decision.prereviewed": "乡镇党委前置审核",
    "governance.decision.executed": "组织实施",
    "governance.decision.outcome_published": "实施结果公开",
    "governance.point.added": "建立联系点",
    "governance.visit.recorded": "登记走访调研",
    "governance.finding.closed": "问题整改销号",
    "governance.refused": "治理事项操作被拒绝",
}
TARGET_URLS = {
    "governance.powercase": "governance:case",
    "governance.decision": "governance:decision",
    "governance.poweritem": "governance:item",
}

# An 18-digit (or old 15-digit) citizen ID number, a mobile number, a landline with its area code.
_ID_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0[0-9]{2,3}[- ]?[0-9]{7,8}(?![0-9])")
DISCLOSURE_RULE = "公示内容不得含有身份证号码、电话号码等个人信息，姓名须遮蔽（docs/rules.md §9，《个人信息保护法》第二十八条、《最低生活保障审核确认办法》第二十三条☑）"


def check_disclosure(text: str, field: str, *, full_names=()) -> str:
    """Refuse a text meant for a public page that carries an ID number, a phone number or an unmasked name."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: "请填写公示内容"})
    if _ID_NUMBER.search(text):
        raise ValidationError({field: f"公示内容含有身份证号码，不能公开。{DISCLOSURE_RULE}"})
    if _MOBILE.search(text) or _LANDLINE.search(text):
        raise ValidationError({field: f"公示内容含有电话号码，不能公开。{DISCLOSURE_RULE}"})
    for name in full_names:
        if name and len(name) >= 2 and name in text:
            raise ValidationError(
                {field: f"公示内容含有未遮蔽的姓名“{name}”，请写作“{mask_name(name)}”。{DISCLOSURE_RULE}"}
            )
    return text


def text(value, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过{max_length}个字"})
    return value


def may_take(actor, role: str, village_path: str, county_path: str) -> bool:
    """A village step by anyone who may change the village; a township step only from above the village
    (never the village itself); a county step from the county (the catalogue's owner) or above."""
    scope = scope_of(actor)
    if role == StepRole.VILLAGE:
        return scope.allows(Action.CHANGE, village_path)
    if role == StepRole.TOWNSHIP:
        return scope.allows_above(Action.CHANGE, village_path)
    return bool(county_path) and scope.allows(Action.CHANGE, county_path)


def provisional_number() -> str:
    return "tmp-" + uuid.uuid4().hex[:24]


def _target_of(kwargs):
    for name in ("case", "decision", "report", "item", "objection", "finding", "point", "village"):
        value = kwargs.get(name)
        if value is not None and hasattr(value, "pk"):
            return value
    return None


def audited_refusal(operation: str):
    """Wrap a service: a refusal (ValidationError) is undone whole, then audited in a transaction of its own."""

    def wrap(function):
        @functools.wraps(function)
        def inner(*args, actor, **kwargs):
            try:
                return function(*args, actor=actor, **kwargs)
            except ValidationError as error:
                target = _target_of(kwargs)
                path = getattr(target, "org_path", "") or getattr(target, "path", "") or ""
                with transaction.atomic():
                    audit.record(
                        actor=actor,
                        action="governance.refused",
                        target=target,
                        org_path=path,
                        after={"operation": operation, "reasons": error.messages[:5]},
                    )
                raise

        return inner

    return wrap
