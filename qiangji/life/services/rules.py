"""Regional overrides of the meeting rules: stricter than national and than the regions above, never looser."""

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.life.models import MeetingRuleOverride, MeetingType
from qiangji.life.rules import effective_period
from qiangji.life.services.base import changeable_org, required_text


@transaction.atomic
def set_rule_override(
    *, actor, organisation, meeting_type: MeetingType, period_months: int, reason: str
) -> MeetingRuleOverride:
    """A region makes a meeting more frequent for its subtree (docs/rules.md: local settings are stricter, never looser)."""
    org = changeable_org(actor, organisation, branch=False)
    reason = required_text(reason, "reason", "依据或理由")
    parent_path = org.path[: -org.steplen]
    allowed = effective_period(meeting_type, parent_path) if parent_path else meeting_type.period_months
    if not isinstance(period_months, int) or period_months < 1:
        raise ValidationError({"period_months": "频次须为正整数（每几个月至少一次）"})
    if period_months > allowed:
        raise ValidationError(
            {
                "period_months": (
                    f"地方规定只能从严、不能放宽：{meeting_type.name}按上级或全国规定每{allowed}个月至少一次，"
                    f"不能改为每{period_months}个月一次（docs/rules.md §2 / {meeting_type.source}）"
                )
            }
        )
    override = MeetingRuleOverride.objects.filter(organisation=org, meeting_type=meeting_type).first()
    before = {"period_months": override.period_months, "reason": override.reason} if override else None
    if override is None:
        override = MeetingRuleOverride(
            organisation=org, org_path=org.path, meeting_type=meeting_type, created_by=actor
        )
    override.period_months, override.reason = period_months, reason
    override.save()
    audit.record(
        actor=actor,
        action="life.override.set",
        target=override,
        org=org,
        before=before,
        after={"meeting_type": meeting_type.code, "period_months": period_months, "reason": reason},
    )
    return override
