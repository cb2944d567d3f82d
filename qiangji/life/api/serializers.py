"""API shapes of organisational life.  Serializers only shape types; rules live in the services."""

from rest_framework import serializers

from qiangji.life.choices import AttendanceStatus, ChecklistKind, PeriodKind
from qiangji.life.models import (
    Attendance,
    ChecklistCompletion,
    ChecklistItem,
    Meeting,
    MeetingExemption,
    MeetingType,
    MonthlyTheme,
    PlanItem,
    YearPlan,
)
from qiangji.life.selectors.meetings import meeting_types

# An id in a request body: a positive 64-bit integer, checked by the serializer (400 naming the field)
# before any lookup; an unknown id or one outside the user's subtree is then the view's 404.
ID_MAX = 2**63 - 1
# The years a statistics period may name (make_period refuses others too): a bound the query checks
# before any database work, so ?year=-891720742033070489600 is a 400 naming `year`, not an overflow.
YEAR_MIN, YEAR_MAX = 2000, 2100


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class LifeMeetingTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingType
        fields = (
            "id",
            "code",
            "name",
            "period_months",
            "quorum",
            "usual_months",
            "is_required",
            "counts_toward",
            "has_checklist",
            "source",
            "mark",
            "note",
        )
        read_only_fields = fields


class LifeChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ("id", "kind", "title", "description", "position")
        read_only_fields = ("id", "position")


class LifeThemeSerializer(serializers.ModelSerializer):
    items = LifeChecklistItemSerializer(many=True, read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = MonthlyTheme
        fields = (
            "id",
            "organisation",
            "organisation_name",
            "year",
            "month",
            "title",
            "text",
            "items",
            "created_at",
        )
        read_only_fields = fields


class LifeItemInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(ChecklistKind.choices, default=ChecklistKind.REQUIRED)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


class LifeThemeInputSerializer(serializers.Serializer):
    organisation = id_field(help_text="发布单位（党委、党工委或党总支）编号")
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    month = serializers.IntegerField(min_value=1, max_value=12)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True)
    items = LifeItemInputSerializer(many=True, required=False, help_text="规定动作和自选动作")


class LifePlanItemSerializer(serializers.ModelSerializer):
    meeting_type_code = serializers.CharField(source="meeting_type.code", read_only=True)

    class Meta:
        model = PlanItem
        fields = (
            "id",
            "meeting_type",
            "meeting_type_code",
            "theme",
            "planned_on",
            "title",
            "dropped_reason",
            "dropped_at",
        )
        read_only_fields = fields


class LifePlanSerializer(serializers.ModelSerializer):
    items = LifePlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = YearPlan
        fields = ("id", "organisation", "year", "title", "note", "items", "created_at")
        read_only_fields = fields


class LifePlanItemInputSerializer(serializers.Serializer):
    meeting_type = serializers.SlugRelatedField(
        slug_field="code", queryset=meeting_types(), help_text="会议类型代码，如 branch_general"
    )
    planned_on = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LifePlanInputSerializer(serializers.Serializer):
    organisation = id_field()
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    items = LifePlanItemInputSerializer(many=True, required=False)


class LifeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, help_text="理由")


class LifeMeetingSerializer(serializers.ModelSerializer):
    meeting_type_code = serializers.CharField(source="meeting_type.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    attendance_rate = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = (
            "id",
            "organisation",
            "organisation_name",
            "meeting_type",
            "meeting_type_code",
            "theme",
            "title",
            "planned_on",
            "held_on",
            "starts_at",
            "place",
            "host",
            "recorder",
            "lecturer",
            "agenda",
            "minutes",
            "decisions",
            "study_hours",
            "status",
            "return_reason",
            "due_count",
            "present_count",
            "guest_count",
            "attendance_rate",
            "checklist_required",
            "checklist_done",
            "committee_size",
            "committee_present",
            "submitted_at",
            "reviewed_at",
            "updated_at",
        )
        read_only_fields = fields


class LifeMeetingFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    planned_on = serializers.DateField(required=False)
    starts_at = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    host = serializers.CharField(max_length=50, required=False, allow_blank=True)
    recorder = serializers.CharField(max_length=50, required=False, allow_blank=True)
    lecturer = serializers.CharField(max_length=50, required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)
    decisions = serializers.CharField(required=False, allow_blank=True)
    study_hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)


class LifeMeetingInputSerializer(LifeMeetingFieldsSerializer):
    organisation = id_field(help_text="党支部编号")
    meeting_type = serializers.SlugRelatedField(slug_field="code", queryset=meeting_types())
    planned_on = serializers.DateField()
    theme = id_field(required=False, allow_null=True, help_text="月度主题编号（主题党日，可省略）")


class LifeHeldInputSerializer(LifeMeetingFieldsSerializer):
    held_on = serializers.DateField(help_text="召开日期（不能晚于今天）")


class LifeAttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Attendance
        fields = (
            "id",
            "member",
            "member_name",
            "status",
            "absence_reason",
            "leave_approved",
            "is_guest",
            "home_organisation",
            "checked_in_at",
            "method",
        )
        read_only_fields = fields


class LifeAttendanceInputSerializer(serializers.Serializer):
    member = id_field(help_text="党员编号")
    status = serializers.ChoiceField(AttendanceStatus.choices)
    absence_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    leave_approved = serializers.BooleanField(default=False)
    as_guest = serializers.BooleanField(default=False, help_text="登记为列席/外支部人员")


class LifeCompletionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistCompletion
        fields = ("id", "item", "done", "evidence", "attachment", "skipped_reason", "completed_at")
        read_only_fields = fields


class LifeCompletionInputSerializer(serializers.Serializer):
    item = id_field()
    done = serializers.BooleanField(default=True)
    evidence = serializers.CharField(max_length=500, required=False, allow_blank=True)
    skipped_reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class LifeCheckInCodeSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="手机扫码后打开的签到地址")


class LifeCodeInputSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=24 * 60, help_text="有效时长（分钟），1 到 1440，默认180"
    )


class LifeCheckInInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)


class LifeCheckInResultSerializer(serializers.Serializer):
    attendance = serializers.IntegerField()
    meeting = serializers.IntegerField()
    already = serializers.BooleanField(help_text="此前已签到（重复扫码不会重复登记）")
    guest = serializers.BooleanField(help_text="外支部党员，同时计入本人所在支部")
    detail = serializers.CharField(help_text="签到成功 / 已签到")


class LifeExemptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingExemption
        fields = ("id", "organisation", "meeting_type", "starts_on", "ends_on", "reason", "created_at")
        read_only_fields = fields


class LifeExemptionInputSerializer(serializers.Serializer):
    organisation = id_field()
    meeting_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=meeting_types(),
        required=False,
        allow_null=True,
        help_text="省略表示全部类型",
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class LifeOrgQuerySerializer(serializers.Serializer):
    org = id_field(required=False, help_text="党组织编号（默认：本人管理范围的根）")


class LifeSeriesQuerySerializer(LifeOrgQuerySerializer):
    year = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX, help_text=f"统计年度，{YEAR_MIN} 到 {YEAR_MAX}"
    )


class LifePeriodQuerySerializer(LifeSeriesQuerySerializer):
    period = serializers.ChoiceField(
        PeriodKind.choices, default=PeriodKind.MONTH, help_text="统计周期，默认 month"
    )
    number = serializers.IntegerField(
        default=1, min_value=1, max_value=12, help_text="月份（1-12）或季度（1-4）序号；年度为1"
    )


class LifeTypeStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    held = serializers.IntegerField(help_text="已召开的周期数")
    required = serializers.IntegerField(help_text="应召开的周期数")
    exempt = serializers.BooleanField()
    missing = serializers.BooleanField()


class LifeBranchComplianceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    types = LifeTypeStatusSerializer(many=True)
    due = serializers.IntegerField()
    present = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True)
    checklist_required = serializers.IntegerField()
    checklist_done = serializers.IntegerField()
    checklist_score = serializers.FloatField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())


class LifeSummarySerializer(serializers.Serializer):
    period = serializers.CharField()
    branches = serializers.IntegerField()
    missing = serializers.IntegerField(help_text="缺少规定会议的支部数")
    attendance = serializers.DictField()
    checklist = serializers.DictField()
    types = serializers.ListField(child=serializers.DictField())
    children = serializers.ListField(child=serializers.DictField())


class LifeLapsedMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    last_life_on = serializers.DateField()


class LifeBranchCompliancePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="符合条件的支部总数")
    results = LifeBranchComplianceSerializer(many=True)


class LifeLapsedPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = LifeLapsedMemberSerializer(many=True)
