"""What a step record says, in words (the case timeline): "表决：同意 1 人，反对 0 人，应到 17 人，实到 12 人",
labelled fields and values, alerts without rule ids; internal ids (a vote's or a sign-off's number) are
not shown."""

import re

from django import template
from django.utils.translation import gettext as _

from qiangji.recruitment.choices import PlanGroup, ProbationOutcome
from qiangji.recruitment.services.meetings import BALLOT_LABELS

register = template.Library()

HIDDEN = {"vote", "signoff", "alerts"}  # ids of other rows, and the alerts shown on their own
FIELD_LABELS = {
    "group": "发展对象类别",
    "missing": "缺少材料",
    "number": "编号",
    "place": "地点",
    "note": "备注",
    "decision": "决定",
    "months": "延长月数",
    "new_end_on": "预备期延至",
    "reason": "理由",
    "summary": "摘要",
    "basis": "依据",
    "days": "天数",
    "hours": "学时",
    "ended_on": "结束日期",
    "received_on": "收到日期",
    "resolved_on": "决定日期",
    "leaving_unit_on": "离开单位日期",
}
VALUE_LABELS = {**dict(PlanGroup.choices), **dict(ProbationOutcome.choices)}
BALLOT_KEYS = set(BALLOT_LABELS)
# "fzdy-2014:step25.archive_checklist：缺少…" → "缺少…"
RULE_ID = re.compile(r"^[\w.-]+:[\w.]+[：:]\s*")


def ballot_text(fields: dict) -> str:
    """ "表决：同意 a 人，反对 b 人，弃权 c 人，应到 e 人，实到 p 人" from the numbers recorded."""
    parts = []
    for key, text in (
        ("votes_for", _("同意 %s 人")),
        ("votes_against", _("反对 %s 人")),
        ("abstentions", _("弃权 %s 人")),
        ("entitled", _("应到 %s 人")),
        ("present", _("实到 %s 人")),
        ("written_opinions", _("书面意见 %s 份")),
        ("probationary_present", _("列席预备党员 %s 人")),
    ):
        value = fields.get(key)
        if value not in (None, "") and not (
            key in ("written_opinions", "probationary_present") and not value
        ):
            parts.append(text % value)
    return _("表决：") + "，".join(parts) if parts else ""


def _value(value) -> str:
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(VALUE_LABELS.get(value, value)) if isinstance(value, str) else str(value)


@register.filter
def step_facts(fields) -> list[str]:
    """The step's fields as sentences, ballot first."""
    if not isinstance(fields, dict):
        return []
    lines = []
    ballot = ballot_text(fields) if BALLOT_KEYS & set(fields) else ""
    if ballot:
        lines.append(ballot)
    for key, value in fields.items():
        if key in HIDDEN or key in BALLOT_KEYS or value in (None, "", []):
            continue
        lines.append(f"{FIELD_LABELS.get(key, key)}：{_value(value)}")
    return lines


@register.filter
def alert_text(alert) -> str:
    """An alert without its rule id (the words and the article follow it)."""
    return RULE_ID.sub("", str(alert))


@register.filter
def step_alerts(fields) -> list[str]:
    if not isinstance(fields, dict):
        return []
    return [alert_text(alert) for alert in fields.get("alerts") or ()]


RULE_SET_TITLES = {
    "fzdy-2014": "《中国共产党发展党员工作细则》（2014年）",
    "fzdy-2026": "《中国共产党发展党员工作细则》（2026年修订）",
}


@register.filter
def rule_set_title(rule_set: str) -> str:
    """The regulation a step was judged by, by its title (docs/rules.md "Rule sets"), never its id."""
    return RULE_SET_TITLES.get(rule_set, rule_set)
