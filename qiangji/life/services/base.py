"""What every life service shares: the organisation gate (over `core.scoping`), required texts, audit labels.

The labels are registered in `LifeConfig.ready()`; dates come from `core.dates`.
"""

from django.core.exceptions import ValidationError

from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

ACTION_LABELS = {
    "life.override.set": "设定地方从严的会议频次",
    "life.theme.pushed": "发布月度主题和规定动作",
    "life.checklist_item.added": "添加规定/自选动作",
    "life.plan.created": "制定年度计划",
    "life.plan_item.added": "添加计划事项",
    "life.plan_item.dropped": "取消计划事项",
    "life.meeting.scheduled": "安排会议",
    "life.meeting.updated": "修改会议记录",
    "life.meeting.held": "记录会议已召开",
    "life.meeting.submitted": "报送会议记录",
    "life.meeting.approved": "审核通过会议记录",
    "life.meeting.returned": "退回会议记录",
    "life.attendance.recorded": "登记出席情况",
    "life.attendance.removed": "删除出席记录",
    "life.attachment.added": "上传会议附件",
    "life.checklist.completed": "登记规定/自选动作完成情况",
    "life.exemption.granted": "批准免于考核",
    "life.checkin_code.issued": "生成签到码",
    "life.checkin.recorded": "扫码签到",
    "life.appraisal.opened": "启动民主评议",
    "life.appraisal.stage_set": "推进民主评议阶段",
    "life.appraisal.written": "提交自评/互评/测评票",
    "life.appraisal.graded": "评定党员等次",
}


def changeable_org(actor, org, *, branch: bool | None = None) -> Organisation:
    """The organisation re-read through the actor's CHANGE scope (404 outside it), a thin wrapper over
    `get_in_scope_or_404` that adds the kind check: `branch=True` requires a branch, `branch=False` a
    committee (something that has a subtree to lead)."""
    found = get_in_scope_or_404(Organisation, actor, org, Action.CHANGE)
    if branch is True and found.kind not in BRANCH_KINDS:
        raise ValidationError({"organisation": "只能为党支部办理（请选择党支部）"})
    if branch is False and found.kind in BRANCH_KINDS:
        raise ValidationError({"organisation": "只有党委、党工委或党总支可以向下级发布"})
    return found


def required_text(value, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"请填写{label}"})
    return text
