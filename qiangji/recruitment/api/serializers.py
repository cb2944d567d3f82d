"""API shapes of development cases.  Serializers only shape types: every rule is checked by the
services (members.validation for the applicant's items, recruitment.rules for the gates)."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from qiangji.core.dates import today
from qiangji.members.validation import LABELS, labelled
from qiangji.recruitment.choices import STEP_CODES, MentorRole, NoticePurpose, Outcome, PlanGroup
from qiangji.recruitment.models import Case, GateOverride, PublicNotice, Rule, SignOff, StepRecord
from qiangji.recruitment.selectors.state import api_rule_state
from qiangji.recruitment.services import CODES

MAX_ID = 2**63 - 1  # the 64-bit ids of both databases: a larger number is a 400 naming the field, never a 500


class CaseSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    id_number_masked = serializers.CharField(read_only=True, help_text="仅显示后四位")
    phone_masked = serializers.CharField(source="phone_tail_masked", read_only=True, help_text="仅显示后四位")
    next_step = serializers.IntegerField(read_only=True, allow_null=True, help_text="等待办理的步骤（1–25）")
    next_step_name = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = (
            "id",
            "organisation",
            "organisation_name",
            "name",
            "sex",
            "birth_date",
            "id_number_masked",
            "phone_masked",
            "group",
            "status",
            "stage",
            "step",
            "next_step",
            "next_step_name",
            "last_step_on",
            "applied_on",
            "activist_on",
            "target_on",
            "admitted_on",
            "approved_on",
            "probation_ends_on",
            "probation_extended",
            "confirmed_on",
            "archived_on",
            "member",
            "dues_start_month",
            "updated_at",
        )
        read_only_fields = fields


class StepRecordSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="步骤代码")
    step_name = serializers.CharField(source="get_step_display", read_only=True)

    class Meta:
        model = StepRecord
        fields = (
            "id",
            "step",
            "code",
            "step_name",
            "occurred_on",
            "outcome",
            "actors",
            "fields",
            "rule_set",
            "overridden",
            "provisional",
            "created_at",
        )
        read_only_fields = fields


class SignOffSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = SignOff
        fields = (
            "id",
            "step",
            "level",
            "organisation",
            "organisation_name",
            "person_name",
            "signed_on",
            "outcome",
            "reason",
        )
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    open_objections = serializers.SerializerMethodField(help_text="未处理的问题数")

    class Meta:
        model = PublicNotice
        fields = (
            "id",
            "purpose",
            "place",
            "text",
            "starts_on",
            "working_days",
            "ends_on",
            "provisional",
            "open_objections",
        )
        read_only_fields = fields

    def get_open_objections(self, notice) -> int:
        return sum(1 for objection in notice.objections.all() if objection.resolved_on is None)


class GateOverrideSerializer(serializers.ModelSerializer):
    rule_code = serializers.CharField(source="rule.qualified_code", read_only=True)

    class Meta:
        model = GateOverride
        fields = ("id", "rule_code", "step", "reason", "used", "created_at")
        read_only_fields = fields


class RuleReasonSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则编号（规则集:规则）")
    detail = serializers.CharField()
    article = serializers.CharField(allow_blank=True, help_text="依据（条例条款）")


class RuleFactSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


class RuleStateSerializer(serializers.Serializer):
    step = serializers.IntegerField(allow_null=True, help_text="下一步（1–25）；已办结为 null")
    date = serializers.DateField(help_text="核验日期（今天）")
    allowed = serializers.BooleanField(help_text="今天能否办理")
    reasons = RuleReasonSerializer(many=True, help_text="不能办理的原因")
    rules = RuleFactSerializer(many=True, help_text="该步骤的各项规则及其状态")


class CaseDetailSerializer(CaseSerializer):
    timeline = StepRecordSerializer(
        source="steps", many=True, read_only=True, help_text="步骤记录，按日期排序"
    )
    signoffs = SignOffSerializer(many=True, read_only=True)
    notices = NoticeSerializer(many=True, read_only=True)
    gate_overrides = GateOverrideSerializer(many=True, read_only=True)
    rule_state = serializers.SerializerMethodField(
        help_text="下一步今天能否办理及原因（与办理时的核验是同一计算：selectors.state.step_state）"
    )

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + (
            "ethnicity",
            "education",
            "employer",
            "address",
            "timeline",
            "signoffs",
            "notices",
            "gate_overrides",
            "rule_state",
        )
        read_only_fields = fields

    @extend_schema_field(RuleStateSerializer)
    def get_rule_state(self, case) -> dict:
        return api_rule_state(case, today())


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


class ApplicationSerializer(serializers.Serializer):
    """Step 1 input: the applicant's items as for a member (clear ID and phone are write-only)."""

    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="接收申请的党支部编号")
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
            raise serializers.ValidationError(
                {
                    field: [labelled(field, str(m)) if field in LABELS else str(m) for m in messages]
                    for field, messages in detail.items()
                }
            )


# --- the fields of each step (POST /cases/<id>/steps/) ----------------------------------------------
# Every id and list is checked here (a 400 naming `fields.<name>`, never a 500); the rules are the
# services' (recruitment.services.dispatch maps each code onto its service).


def _char(label, required=False, max_length=2000, **kwargs):
    return serializers.CharField(
        label=label, required=required, allow_blank=not required, max_length=max_length, **kwargs
    )


def _id(label, **kwargs):
    return serializers.IntegerField(label=label, min_value=1, max_value=MAX_ID, **kwargs)


def _ids(label, **kwargs):
    return serializers.ListField(
        label=label, child=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs
    )


VOTE_CHOICES = [("for", "赞成"), ("against", "反对"), ("abstain", "弃权")]


class AttendanceLineSerializer(serializers.Serializer):
    """One full member entitled to vote: present with a vote, or absent with the reason."""

    member = _id("党员编号", help_text="本支部有表决权的正式党员")
    present = serializers.BooleanField(label="是否到会")
    vote = serializers.ChoiceField(
        label="表决意见", choices=VOTE_CHOICES, required=False, allow_null=True, help_text="到会党员必填"
    )
    reason = _char("缺席原因", max_length=200, allow_null=True, help_text="缺席时必填")
    written_opinion = serializers.ChoiceField(
        label="书面意见",
        choices=VOTE_CHOICES,
        required=False,
        allow_null=True,
        help_text="缺席党员会前正式提交的书面表决意见",
    )


def _attendance():
    return {
        "attendance": AttendanceLineSerializer(
            label="到会情况",
            many=True,
            help_text="全体有表决权的正式党员（按会议日期的党员名册），每人一项；应到、实到、赞成票等由此计算",
        ),
        "probationary_present": _ids("列席的预备党员", required=False, help_text="党员编号列表（无表决权）"),
        "chair": _char("主持人", max_length=50),
        "minutes": _char("会议记录摘要"),
    }


def _signoff(**extra):
    return {
        "outcome": serializers.ChoiceField(label="结果", choices=Outcome.choices, required=False),
        "person_name": _char("签署人", required=True, max_length=50),
        "reason": _char("意见/理由"),
        "organisation": _id("签署组织", required=False),
        **extra,
    }


_NOTE = {"note": _char("说明")}
STEP_FIELDS = {
    "talk": {"talker": _char("谈话人", required=True, max_length=50), "summary": _char("谈话情况")},
    "activist": {"basis": _char("依据")},
    "activist_filing": _NOTE,
    "mentors": {
        "members": _ids("培养联系人", min_length=1, max_length=2, help_text="党员编号列表（1–2人）"),
        "roles": serializers.ListField(
            label="培养联系人类别",
            required=False,
            child=serializers.ChoiceField(choices=MentorRole.choices),
            help_text="与 members 一一对应",
        ),
    },
    "assessment": {"summary": _char("考察情况", required=True)},
    "consent": _signoff(),
    "target": {"basis": _char("依据")},
    "target_filing": _NOTE,
    "sponsors": {"members": _ids("入党介绍人", min_length=1, help_text="党员编号列表（2人）")},
    "vetting": {
        "reviewer_name": _char("审查人", required=True, max_length=50),
        "outcome": serializers.ChoiceField(label="审查结论", choices=[("pass", "合格"), ("fail", "不合格")]),
        "conclusion": _char("书面结论", required=True),
    },
    "training": {
        "ended_on": serializers.DateField(label="结束日期", required=False),
        "provider": _char("培训单位", required=True, max_length=200),
        "days": serializers.DecimalField(
            label="天数", max_digits=5, decimal_places=1, min_value=0, required=False
        ),
        "hours": serializers.DecimalField(
            label="学时", max_digits=6, decimal_places=1, min_value=0, required=False
        ),
        "certificate": _char("结业证书编号", max_length=60),
    },
    "branch_review": {key: value for key, value in _signoff().items() if key != "organisation"},
    "pre_review": _signoff(leaving_unit_on=serializers.DateField(label="离开单位日期", required=False)),
    "admission_form": {
        "form_range": _id(
            "入党志愿书编号段",
            required=False,
            help_text="编号段编号；不填时用上级党委最早领取、仍有余号的编号段",
        )
    },
    "branch_meeting": {
        **_attendance(),
        "passed": serializers.BooleanField(label="表决通过", required=False, help_text="不填时按计票结果"),
    },
    "higher_talk": _NOTE,
    "approval": _signoff(),
    "approval_filing": _NOTE,
    "placement": _NOTE,
    "oath": {"place": _char("宣誓地点", max_length=200)},
    "probation": _NOTE,
    "confirmation_application": _NOTE,
    "confirmation_meeting": {
        **_attendance(),
        "decision": serializers.ChoiceField(
            label="决定",
            required=False,
            choices=[("confirmed", "转正"), ("extended", "延长预备期"), ("cancelled", "取消资格")],
        ),
        "months": serializers.IntegerField(label="延长月数", required=False, min_value=1, max_value=24),
        "reason": _char("理由"),
    },
    "confirmation_approval": _signoff(),
    "archive": {"allow_missing": serializers.BooleanField(label="材料不全仍归档", required=False)},
    "notice": {
        "purpose": serializers.ChoiceField(label="公示事项", choices=NoticePurpose.choices),
        "working_days": serializers.IntegerField(label="公示期（工作日）", min_value=1, max_value=60),
        "place": _char("公示地点", required=True, max_length=200),
        "text": _char("公示内容", required=True),
    },
    "objection": {"notice": _id("公示"), "summary": _char("反映内容", required=True)},
    "objection_resolution": {
        "objection": _id("问题"),
        "resolution": _char("处理结果", required=True),
        "upheld": serializers.BooleanField(
            label="反映问题是否属实", required=False, help_text="属实时该公示所对应的步骤不能继续办理"
        ),
    },
    "gate_override": {
        "rule_code": _char("关卡", required=True, max_length=80),
        "reason": _char("理由", required=True),
    },
    "transfer": {"organisation": _id("转入党支部"), "reason": _char("理由")},
}


def _fields_class(code: str, declared: dict) -> type:
    name = "".join(part.title() for part in code.split("_")) + "StepFields"
    # DRF deep-copies declared fields per serializer instance, so classes may share field objects.
    return type(name, (serializers.Serializer,), {**declared, "__doc__": f"步骤 `{code}` 的 fields"})


FIELD_SERIALIZERS = {code: _fields_class(code, declared) for code, declared in STEP_FIELDS.items()}


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="RecruitmentStepFields",
        serializers=list(FIELD_SERIALIZERS.values()),
        resource_type_field_name=None,
    )
)
class StepFieldsField(serializers.DictField):
    """The step's fields: one shape per step code (see the components *StepFields)."""


def _named(label: str, message: str) -> str:
    message = str(message).rstrip("。")
    return message if message.startswith(f"{label}：") else f"{label}：{message}"


def _flatten(errors, label: str) -> list[str]:
    """Messages of one field (a list of rows gives "第N项…"), each naming the field."""
    if isinstance(errors, dict):
        return [m for key, value in errors.items() for m in _flatten(value, f"{label}.{key}")]
    if isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        return [
            m
            for index, value in enumerate(errors, 1)
            if value
            for m in _flatten(value, f"{label}第{index}项")
        ]
    return [_named(label, message) for message in errors]


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=[code for code in CODES if code != "application"],
        help_text="步骤代码（第2–25步，如 talk、activist、target、branch_meeting、approval）或步骤间的操作"
        "（consent、notice、objection、objection_resolution、gate_override、transfer）",
    )
    date = serializers.DateField(help_text="该步骤的日期（决定适用的规则集）")
    fields = StepFieldsField(
        required=False, default=dict, help_text="该步骤的内容，字段见各步骤说明（*StepFields）"
    )

    def validate_step(self, value):
        return value if value in CODES else STEP_CODES.get(value, value)

    def validate(self, attrs):
        code, given = attrs["step"], attrs.get("fields") or {}
        serializer_class = FIELD_SERIALIZERS.get(code)
        if serializer_class is None:
            return attrs
        serializer = serializer_class(data=given)
        unknown = sorted(set(given) - set(serializer.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    "fields": [
                        f"内容：该步骤不接受字段 {', '.join(unknown)}；可用字段：{', '.join(serializer.fields)}"
                    ]
                }
            )
        if not serializer.is_valid():
            raise serializers.ValidationError(
                {
                    f"fields.{name}": _flatten(errors, serializer.fields[name].label or name)
                    for name, errors in serializer.errors.items()
                }
            )
        return {**attrs, "fields": dict(serializer.validated_data)}


class RuleViolationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="固定为 rule_violation")
    rule = serializers.CharField(help_text="规则集:规则代码，如 fzdy-2026:step07.activist_min_period")
    detail = serializers.CharField(help_text="中文说明，写明规则和相关日期")


class RuleSerializer(serializers.ModelSerializer):
    qualified_code = serializers.CharField(read_only=True, help_text="规则集:规则代码")

    class Meta:
        model = Rule
        fields = (
            "id",
            "rule_set",
            "code",
            "qualified_code",
            "title",
            "step",
            "reference_step",
            "minimum",
            "maximum",
            "unit",
            "kind",
            "mark",
            "enabled",
            "source",
            "valid_from",
            "valid_to",
        )
        read_only_fields = fields


class TightenSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="适用的党组织编号（含全部下级）"
    )
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


# --- admission-form number ranges (志愿书编号段) --------------------------------------------------


class FormRangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.IntegerField(
        source="organisation_id", read_only=True, help_text="发放编号的党委"
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    prefix = serializers.CharField(read_only=True)
    first_number = serializers.IntegerField(read_only=True)
    last_number = serializers.IntegerField(read_only=True)
    next_number = serializers.IntegerField(read_only=True, help_text="下一个发放的号码")
    width = serializers.IntegerField(read_only=True, help_text="号码位数")
    remaining = serializers.IntegerField(read_only=True, help_text="剩余号码数")
    received_on = serializers.DateField(read_only=True)
    label = serializers.CharField(source="__str__", read_only=True, help_text="编号段，如 XF000001–XF000100")


class FormRangeInputSerializer(serializers.Serializer):
    """A range of numbered admission forms registered by the committee that issues them (具有审批权限的基层党委
    或县级党委组织部门; 《中国共产党发展党员工作细则》第二十条)."""

    organisation = serializers.IntegerField(
        label="管理单位", min_value=1, max_value=MAX_ID, help_text="发放编号的党委编号"
    )
    prefix = serializers.CharField(
        label="编号前缀", max_length=20, required=False, allow_blank=True, default=""
    )
    first_number = serializers.IntegerField(label="起始号", min_value=1, max_value=2**31 - 1)
    last_number = serializers.IntegerField(label="终止号", min_value=1, max_value=2**31 - 1)
    width = serializers.IntegerField(label="号码位数", min_value=1, max_value=12, required=False, default=6)
    received_on = serializers.DateField(label="领取日期")

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
            raise serializers.ValidationError(
                {
                    name: _flatten(messages, self.fields[name].label if name in self.fields else name)
                    for name, messages in detail.items()
                }
            )
