"""Shapes of the governance API: no applicant name in clear on public answers, no ID numbers anywhere."""

from rest_framework import serializers

from qiangji.governance.choices import Choice, DecisionStage, Outcome, PointKind, VisitKind, VoteKind
from qiangji.governance.models import (
    CaseStep,
    ContactPoint,
    Decision,
    DecisionRule,
    DecisionVote,
    Finding,
    Objection,
    PowerCase,
    PowerItem,
    PowerStep,
    Visit,
    WhistleReport,
)

ID_MAX = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class GovStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = PowerStep
        fields = ("order", "name", "role", "time_limit_days", "required_documents", "notice_days")


class GovItemSerializer(serializers.ModelSerializer):
    steps = GovStepSerializer(many=True, read_only=True)
    is_template = serializers.SerializerMethodField()

    class Meta:
        model = PowerItem
        fields = (
            "id",
            "code",
            "title",
            "legal_basis",
            "conditions",
            "source",
            "is_active",
            "is_template",
            "steps",
        )

    def get_is_template(self, item) -> bool:
        return item.org_path == ""


class GovCaseStepSerializer(serializers.ModelSerializer):
    step_outcome = serializers.ChoiceField(source="outcome", choices=Outcome.choices, read_only=True)

    class Meta:
        model = CaseStep
        fields = (
            "order",
            "name",
            "done_on",
            "person_name",
            "step_outcome",
            "note",
            "documents",
            "late",
            "notice_text",
            "notice_from",
            "notice_to",
        )


class GovObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ("id", "case", "received_on", "content", "status", "resolution", "resolved_on")


class GovCaseSerializer(serializers.ModelSerializer):
    records = GovCaseStepSerializer(many=True, read_only=True)
    objections = GovObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = PowerCase
        fields = (
            "id",
            "number",
            "item",
            "village",
            "applicant_name",
            "subject",
            "steps",
            "next_order",
            "status",
            "opened_on",
            "closed_on",
            "records",
            "objections",
        )


class GovCaseCreateSerializer(serializers.Serializer):
    village = id_field()
    item = id_field()
    applicant_name = serializers.CharField(max_length=50)
    subject = serializers.CharField(max_length=200)
    opened_on = serializers.DateField(required=False)


class GovTakeStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, max_value=30)
    done_on = serializers.DateField()
    person_name = serializers.CharField(max_length=50)
    step_outcome = serializers.ChoiceField(choices=Outcome.choices, default=Outcome.PASS)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=30),
        max_length=30,
        required=False,
        default=list,
        help_text="已提交的材料：该环节“须提交材料”中的序号（从1起）",
    )
    notice_text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class GovObjectionCreateSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    content = serializers.CharField(max_length=2000)


class GovResolveSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    resolution = serializers.CharField(max_length=500)
    resolved_on = serializers.DateField()


class GovNoticeSerializer(serializers.Serializer):
    item = serializers.CharField()
    number = serializers.CharField()
    applicant = serializers.CharField(help_text="遮蔽后的姓名")
    step = serializers.CharField()
    text = serializers.CharField()
    current = serializers.BooleanField()

    # "from"/"to" are keywords: declared below
    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class GovPublicDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = (
            "number",
            "title",
            "amount",
            "resolution_text",
            "published_on",
            "executed_on",
            "outcome_text",
            "outcome_published_on",
        )


class GovDisclosureSerializer(serializers.Serializer):
    village = serializers.CharField()
    notices = GovNoticeSerializer(many=True)
    decisions = GovPublicDecisionSerializer(many=True)


class GovReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = WhistleReport
        fields = (
            "id",
            "number",
            "village",
            "received_on",
            "content",
            "named_text",
            "status",
            "outcome",
            "closed_on",
        )


class GovReportCreateSerializer(serializers.Serializer):
    village = id_field()
    content = serializers.CharField(max_length=5000)
    named_text = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    named_users = serializers.ListField(child=id_field(), max_length=20, required=False, default=list)


class GovCloseReportSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=5000)
    closed_on = serializers.DateField()


class GovRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionRule
        fields = ("id", "matter", "label", "money_threshold", "source", "is_active")


class GovVoteSerializer(serializers.ModelSerializer):
    meeting = serializers.ChoiceField(source="kind", choices=VoteKind.choices, read_only=True)

    class Meta:
        model = DecisionVote
        fields = (
            "meeting",
            "held_on",
            "entitled",
            "present",
            "votes_for",
            "votes_against",
            "abstentions",
            "quorate",
            "passed",
        )


class GovDecisionSerializer(serializers.ModelSerializer):
    votes = GovVoteSerializer(many=True, read_only=True)
    decision_stage = serializers.ChoiceField(source="stage", choices=DecisionStage.choices, read_only=True)

    class Meta:
        model = Decision
        fields = (
            "id",
            "number",
            "village",
            "rule",
            "title",
            "amount",
            "description",
            "decision_stage",
            "status",
            "proposed_on",
            "discussed_on",
            "discussion_note",
            "deliberated_on",
            "resolved_on",
            "resolution_text",
            "published_on",
            "prereview",
            "prereview_on",
            "prereview_note",
            "executed_on",
            "execution_note",
            "outcome_published_on",
            "outcome_text",
            "votes",
        )


class GovDecisionCreateSerializer(serializers.Serializer):
    village = id_field()
    matter = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    description = serializers.CharField(max_length=5000)
    proposed_on = serializers.DateField()


class GovDiscussSerializer(serializers.Serializer):
    discussed_on = serializers.DateField()
    attendees = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=5000)


class GovAttendanceLine(serializers.Serializer):
    member = id_field(required=False, help_text="党员大会：党员编号")
    representative = id_field(required=False, help_text="村民代表会议：代表编号")
    present = serializers.BooleanField()
    vote = serializers.ChoiceField(choices=Choice.choices, required=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class GovVoteCreateSerializer(serializers.Serializer):
    meeting = serializers.ChoiceField(choices=VoteKind.choices)
    held_on = serializers.DateField()
    attendance = GovAttendanceLine(many=True, help_text="全体应到人员，每人一项")


class GovPublishSerializer(serializers.Serializer):
    published_on = serializers.DateField()
    text = serializers.CharField(max_length=5000)


class GovPreReviewSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    reviewed_on = serializers.DateField()


class GovExecuteSerializer(serializers.Serializer):
    executed_on = serializers.DateField()
    note = serializers.CharField(max_length=5000)


class GovFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = (
            "id",
            "point",
            "visit",
            "description",
            "owner_name",
            "deadline",
            "status",
            "evidence",
            "closed_on",
        )


class GovVisitSerializer(serializers.ModelSerializer):
    findings = GovFindingSerializer(many=True, read_only=True)
    visit_kind = serializers.ChoiceField(source="kind", choices=VisitKind.choices, read_only=True)
    photo_count = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = (
            "id",
            "visit_kind",
            "visited_on",
            "until",
            "people",
            "summary",
            "report",
            "findings",
            "photo_count",
        )

    def get_photo_count(self, visit) -> int:
        return visit.photos.count()


class GovPointSerializer(serializers.ModelSerializer):
    point_kind = serializers.ChoiceField(source="kind", choices=PointKind.choices, read_only=True)
    last_visit = serializers.DateField(read_only=True, allow_null=True)
    open_findings = serializers.IntegerField(read_only=True)
    overdue_findings = serializers.IntegerField(read_only=True)

    class Meta:
        model = ContactPoint
        fields = (
            "id",
            "organisation",
            "point_kind",
            "leader_name",
            "leader_title",
            "since",
            "interval_months",
            "is_active",
            "last_visit",
            "open_findings",
            "overdue_findings",
        )


class GovFindingLine(serializers.Serializer):
    description = serializers.CharField(max_length=2000)
    owner_name = serializers.CharField(max_length=100)
    deadline = serializers.DateField()


class GovVisitCreateSerializer(serializers.Serializer):
    visit_kind = serializers.ChoiceField(choices=VisitKind.choices)
    visited_on = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True, default=None)
    people = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=20000)
    report = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    findings = GovFindingLine(many=True, required=False, default=list)


class GovCloseFindingSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=5000)
    closed_on = serializers.DateField()
