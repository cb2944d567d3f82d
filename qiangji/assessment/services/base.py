"""What every assessment service shares: audit labels, the permission checks by level, rule citations.

Levels (docs/rules.md §6): the organisation that owns an indicator set edits it, scores it and decides
its ratings and appeals; an organisation assesses itself; a strict ancestor (`Scope.allows_above`)
reviews it and enters reviewers' points.  A request outside the actor's subtree is a 404 (the views read
through the scope first); inside it but without the level's right it is a ValidationError naming the rule.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of

ACTION_LABELS = {
    "assessment.set.created": "制定考核指标体系",
    "assessment.set.changed": "修改考核指标体系",
    "assessment.indicator.saved": "保存考核指标",
    "assessment.threshold.saved": "保存星级分数线",
    "assessment.quota.saved": "保存星级比例上限",
    "assessment.manual.saved": "录入评审得分",
    "assessment.adjustment.recorded": "登记加减分/一票否决",
    "assessment.run.computed": "计算考核得分（预览）",
    "assessment.run.published": "发布考核得分",
    "assessment.rating.self_assessed": "星级自评",
    "assessment.rating.reviewed": "上级审核星级",
    "assessment.rating.decided": "党委决定星级",
    "assessment.rating.noticed": "星级公示",
    "assessment.objection.raised": "对公示星级提出异议",
    "assessment.objection.resolved": "处理星级异议",
    "assessment.rating.finalised": "确定星级",
    "assessment.appeal.filed": "星级申诉",
    "assessment.appeal.decided": "星级申诉决定",
    "assessment.weak_criterion.saved": "设定软弱涣散认定标准",
    "assessment.weak.detected": "排查软弱涣散党组织",
    "assessment.plan.saved": "制定整顿方案",
    "assessment.plan.submitted": "报送整改佐证",
    "assessment.plan.signed_off": "上级党委验收销号",
    "assessment.report.submitted": "书记述职",
    "assessment.report.reviewed": "述职评议评分",
    "assessment.report.graded": "述职评议定等",
    "assessment.followup.added": "列入述职评议问题清单",
    "assessment.followup.closed": "问题清单事项完成",
    "assessment.violations.gathered": "汇总程序违规情况",
    "assessment.violation.decided": "作出问责处理决定",
    "assessment.nomination.created": "推荐表彰对象",
    "assessment.nomination.reviewed": "审核表彰推荐",
    "assessment.nomination.noticed": "表彰对象公示",
    "assessment.nomination.awarded": "表彰",
}
TARGET_URLS = {
    "assessment.indicatorset": "assessment:set",
    "assessment.scoringrun": "assessment:run",
    "assessment.starrating": "assessment:rating",
    "assessment.rectificationplan": "assessment:plan",
    "assessment.secretaryreport": "assessment:report",
    "assessment.nomination": "assessment:nomination",
}

RULE_LEVEL = "评星定级由制定指标体系的党组织计算、决定和处理申诉（docs/rules.md §6 评星定级，本地示例办法）"
RULE_REVIEW = "星级由上级党组织审核，不能审核本组织的自评（docs/rules.md §6 评星定级，本地示例办法）"
RULE_SELF = "星级自评由本组织或上级党组织填报（docs/rules.md §6 评星定级，本地示例办法）"


def require_in_scope(actor, path: str, action: str = Action.VIEW) -> None:
    if not scope_of(actor).allows(action, path):
        raise Http404("未找到该记录，或您无权查看")


def require_set_level(actor, indicator_set, field: str = "indicator_set") -> None:
    if not scope_of(actor).allows(Action.CHANGE, indicator_set.org_path):
        raise ValidationError({field: f"您不属于制定该指标体系的党组织：{RULE_LEVEL}"})


def require_above(actor, org, field: str = "organisation") -> None:
    if not scope_of(actor).allows_above(Action.CHANGE, org.path):
        raise ValidationError({field: RULE_REVIEW})


def require_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{label}"})
    return value


def require_stars(value, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5:
        raise ValidationError({field: "星级须为0至5之间的整数"})
    return value
