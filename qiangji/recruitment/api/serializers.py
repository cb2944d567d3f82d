"""API shapes of development cases.  Serializers only shape types: every rule is checked by the
services (members.validation for the applicant's items, recruitment.rules for the gates)."""

from rest_framework import serializers

from qiangji.members.validation import LABELS, labelled
from qiangji.recruitment.choices import STEP_CODES, PlanGroup
from qiangji.recruitment.models import Case, GateOverride, PublicNotice, Rule, SignOff, StepRecord
from qiangji.recruitment.services import CODES


class CaseSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    id_number_masked = serializers.CharField(read_only=True, help_text="仅显示后四位")
    phone_masked = serializers.CharField(source="phone_tail_masked", read_only=True, help_text="仅显示后四位")
    next_step = serializers.IntegerField(read_only=True, allow_null=True, help_text="等待办理的步骤（1–25）")
    next_step_name = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = ("id", "organisation", "organisation_name", "name", "sex", "birth_date", "id_number_masked",
                  "phone_masked", "group", "status", "stage", "step", "next_step", "next_step_name",
                  "last_step_on", "applied_on", "activist_on", "target_on", "admitted_on", "approved_on",
                  "probation_ends_on", "probation_extended", "confirmed_on", "archived_on", "member",
                  "dues_start_month", "updated_at")
        read_only_fields = fields


class StepRecordSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="步骤代码")
    step_name = serializers.CharField(source="get_step_display", read_only=True)

    class Meta:
        model = StepRecord
        fields = ("id", "step", "code", "step_name", "occurred_on", "outcome", "actors", "fields", "rule_set",
                  "overridden", "provisional", "created_at")
        read_only_fields = fields


class SignOffSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = SignOff
        fields = ("id", "step", "level", "organisation", "organisation_name", "person_name", "signed_on",
                  "outcome", "reason")
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    open_objections = serializers.SerializerMethodField(help_text="未处理的问题数")

    class Meta:
        model = PublicNotice
        fields = ("id", "purpose", "place", "text", "starts_on", "working_days", "ends_on", "provisional",
                  "open_objections")
        read_only_fields = fields

    def get_open_objections(self, notice) -> int:
        return sum(1 for objection in notice.objections.all() if objection.resolved_on is None)


class GateOverrideSerializer(serializers.ModelSerializer):
    rule_code = serializers.CharField(source="rule.qualified_code", read_only=True)

    class Meta:
        model = GateOverride
        fields = ("id", "rule_code", "step", "reason", "used", "created_at")
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    timeline = StepRecordSerializer(source="steps", many=True, read_only=True, help_text="步骤记录，按日期排序")
    signoffs = SignOffSerializer(many=True, read_only=True)
    notices = NoticeSerializer(many=True, read_only=True)
    gate_overrides = GateOverrideSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ("ethnicity", "education", "employer", "address", "timeline",
                                               "signoffs", "notices", "gate_overrides")
        read_only_fields = fields


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


class ApplicationSerializer(serializers.Serializer):
    """Step 1 input: the applicant's items as for a member (clear ID and phone are write-only)."""

    organisation = serializers.IntegerField(help_text="接收申请的党支部编号")
    applied_on = serializers.DateField(help_text="递交入党申请书日期")
    group = serializers.ChoiceField(choices=PlanGroup.choices, required=False, default=PlanGroup.OTHER)
    name, sex, ethnicity, education, employer, address = _text(), _text(), _text(), _text(), _text(), _text()
    id_number = _text(write_only=True, help_text="公民身份证号（明文，仅写入；加密保存）")
    phone = _text(write_only=True, help_text="联系电话（明文，仅写入；加密保存）")
    birth_date = serializers.DateField(required=False, allow_null=True)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
            raise serializers.ValidationError({
                field: [labelled(field, str(m)) if field in LABELS else str(m) for m in messages]
                for field, messages in detail.items()
            })


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=[code for code in CODES if code != "application"],
        help_text="步骤代码（第2–25步，如 talk、activist、target、branch_meeting、approval）或步骤间的操作"
                  "（consent、notice、objection、objection_resolution、gate_override、transfer）")
    date = serializers.DateField(help_text="该步骤的日期（决定适用的规则集）")
    fields = serializers.DictField(required=False, default=dict, help_text="该步骤的内容，字段见各步骤说明")

    def validate_step(self, value):
        return value if value in CODES else STEP_CODES.get(value, value)


class RuleViolationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="固定为 rule_violation")
    rule = serializers.CharField(help_text="规则集:规则代码，如 fzdy-2026:step07.activist_min_period")
    detail = serializers.CharField(help_text="中文说明，写明规则和相关日期")


class RuleSerializer(serializers.ModelSerializer):
    qualified_code = serializers.CharField(read_only=True, help_text="规则集:规则代码")

    class Meta:
        model = Rule
        fields = ("id", "rule_set", "code", "qualified_code", "title", "step", "reference_step", "minimum",
                  "maximum", "unit", "kind", "mark", "enabled", "source", "valid_from", "valid_to")
        read_only_fields = fields


class TightenSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="适用的党组织编号（含全部下级）")
    minimum = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    maximum = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    enabled = serializers.BooleanField(required=False, default=True)
    kind = serializers.ChoiceField(choices=[("", "沿用"), ("gate", "硬性关卡")], required=False, default="")
    reason = serializers.CharField(help_text="调整理由")


class RuleOverrideSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField(source="rule.qualified_code")
    organisation = serializers.IntegerField(source="organisation_id")
    minimum = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    maximum = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    enabled = serializers.BooleanField()
    kind = serializers.CharField()
    reason = serializers.CharField()


# --- the due list -------------------------------------------------------------------------------

class DueRuleSerializer(serializers.Serializer):
    step = serializers.IntegerField(help_text="步骤序号（1–25）")
    step_name = serializers.CharField()
    rule = serializers.CharField(help_text="规则集:规则代码，如 fzdy-2026:step17.approval_within")
    title = serializers.CharField(help_text="规则（中文）")
    overdue = serializers.IntegerField(help_text="已逾期的人数")
    soon = serializers.IntegerField(help_text="days 天内到期的人数")


class DueItemSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="发展党员工作记录编号")
    name = serializers.CharField()
    organisation = serializers.CharField(help_text="所在党支部")
    rule = serializers.CharField()
    step = serializers.IntegerField()
    reference_date = serializers.DateField(help_text="起算日期")
    due_on = serializers.DateField(help_text="到期日期")
    days_left = serializers.IntegerField(help_text="剩余天数，负数表示已逾期的天数")
    provisional = serializers.BooleanField(help_text="到期日为暂定（该年节假日安排未发布）")


class DueListSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="计算日期（今天）")
    days = serializers.IntegerField(help_text="即将到期的天数")
    summary = DueRuleSerializer(many=True)
    items = DueItemSerializer(many=True, help_text="每条规则最多 limit 人，最早到期的在前")
