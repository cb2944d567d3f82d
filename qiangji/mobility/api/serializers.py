"""Output shapes of the mobility API: no clear ID numbers or phones, only masked tails."""

from rest_framework import serializers

from qiangji.mobility.choices import AnchorKind, FlowReason, RevocationReason
from qiangji.mobility.models import (
    Certificate,
    CommunityReport,
    DualAnchor,
    MobileFlow,
    Transfer,
    VolunteerHours,
)

# An id in a request body: a positive 64-bit integer, checked by the serializer (400 naming the field)
# before any lookup; an unknown id or one outside the user's subtree is then the view's 404.
ID_MAX = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class TransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transfer
        fields = (
            "id",
            "number",
            "kind",
            "status",
            "member",
            "member_name",
            "from_org",
            "from_org_name",
            "to_org",
            "to_org_name",
            "to_branch",
            "reason",
            "dues_paid_to",
            "issued_on",
            "valid_days",
            "expires_on",
            "receipt_due_on",
            "accepted_on",
            "returned_on",
            "return_reason",
            "receipt_returned_on",
        )
        read_only_fields = fields


class FlowSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    out_org_name = serializers.CharField(source="out_org.name", read_only=True)
    in_org_name = serializers.CharField(source="in_org.name", read_only=True, default="")
    contact_phone_masked = serializers.CharField(read_only=True, help_text="仅显示后四位")

    class Meta:
        model = MobileFlow
        fields = (
            "id",
            "member",
            "member_name",
            "status",
            "out_org",
            "out_org_name",
            "in_org",
            "in_org_name",
            "province",
            "city",
            "county",
            "employer",
            "place",
            "reason",
            "left_on",
            "expected_return_on",
            "contact_phone_masked",
            "self_registered",
            "accepted_on",
            "returned_on",
            "note",
        )
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Certificate
        fields = (
            "id",
            "number",
            "member",
            "member_name",
            "status",
            "issued_on",
            "valid_until",
            "last_checked_on",
            "revoked_on",
            "revoked_reason",
            "token",
            "key_id",
        )
        read_only_fields = fields


class AnchorSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    second_org_name = serializers.CharField(source="second_org.name", read_only=True)

    class Meta:
        model = DualAnchor
        fields = ("id", "branch", "branch_name", "second_org", "second_org_name", "second_kind", "note")
        read_only_fields = fields


class AnchorWriteSerializer(serializers.Serializer):
    branch = id_field(help_text="党支部编号（须在本人管理范围内）")
    second_org = id_field(help_text="第二隶属组织编号（平台企业/站点/车队或属地街道社区）")
    second_kind = serializers.ChoiceField(choices=AnchorKind.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class HoursSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="report.member.name", read_only=True)
    community_name = serializers.CharField(source="report.community.name", read_only=True)

    class Meta:
        model = VolunteerHours
        fields = (
            "id",
            "member_name",
            "community_name",
            "served_on",
            "hours",
            "description",
            "status",
            "decided_on",
        )
        read_only_fields = fields


class DestinationSerializer(serializers.Serializer):
    province = serializers.CharField()
    city = serializers.CharField()
    county = serializers.CharField()
    members = serializers.IntegerField()


class SuggestionSerializer(serializers.Serializer):
    by = serializers.CharField(help_text="按单位或按地点")
    name = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    members = serializers.IntegerField(help_text="正式党员人数")


# ----- request bodies -------------------------------------------------------------------------


class MemberRef(serializers.Serializer):
    member = id_field(help_text="党员编号（须在本人管理范围内）")


class TransferCreateSerializer(MemberRef):
    to_org = id_field(required=False, allow_null=True, help_text="平台内接收基层党委的组织编号")
    to_org_name = serializers.CharField(required=False, allow_blank=True, help_text="平台外接收党组织名称")
    reason = serializers.CharField(required=False, allow_blank=True)
    dues_paid = serializers.DateField(
        required=False, allow_null=True, help_text="党费交至（党费模块有记录时以其为准）"
    )
    valid_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=365,
        help_text="有效期（天），1 到 365，默认90",
    )


class BranchRef(serializers.Serializer):
    branch = id_field(help_text="编入的党支部编号（接收党委下属）")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="原因")


class ReceiptSerializer(serializers.Serializer):
    returned_on = serializers.DateField(required=False, allow_null=True)


class FlowCreateSerializer(MemberRef):
    province = serializers.CharField()
    city = serializers.CharField(required=False, allow_blank=True)
    county = serializers.CharField(required=False, allow_blank=True)
    employer = serializers.CharField(required=False, allow_blank=True, help_text="就业单位或平台")
    place = serializers.CharField(required=False, allow_blank=True, help_text="站点/工作地点")
    reason = serializers.ChoiceField(choices=FlowReason.choices, required=False)
    left_on = serializers.DateField(required=False)
    expected_return_on = serializers.DateField(required=False, allow_null=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True, write_only=True)
    note = serializers.CharField(required=False, allow_blank=True)
    in_org = id_field(required=False, allow_null=True, help_text="流入地党支部编号（由其确认接收）")


class EndFlowSerializer(serializers.Serializer):
    returned_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RevocationReason.choices)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="活动证二维码内容（凭证文本或核验页网址）")


class DecisionSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="true 确认，false 不予确认")


class IncomingLetterSerializer(serializers.Serializer):
    organisation = id_field(help_text="接收党组织编号（须在本人管理范围内）")
    number = serializers.CharField(max_length=30, help_text="介绍信编号")
    member_name = serializers.CharField(max_length=50)
    from_org_name = serializers.CharField(max_length=200)
    issued_on = serializers.DateField()
    valid_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=365, help_text="有效期（天），1 到 365"
    )
    dues_paid = serializers.DateField(required=False, allow_null=True)
    branch = id_field(
        required=False,
        allow_null=True,
        help_text="编入党支部编号（接收党组织下属；与 values 一起给出时登记党员）",
    )
    values = serializers.DictField(
        required=False, help_text="介绍信所载党员信息（姓名、性别、公民身份证号、出生日期、人员类别等）"
    )


class InflowSerializer(FlowCreateSerializer):
    member = None
    in_org = id_field(help_text="本支部编号")
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(
        max_length=18, write_only=True, help_text="公民身份证号（仅用于匹配，不保存、不记入日志）"
    )


class ArriveSerializer(FlowCreateSerializer):
    member = None
    in_org = None
    token = serializers.CharField(help_text="党支部报到码中的签名令牌（/mobility/arrive/<token>/）")


class ReportSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    posts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CommunityReport
        fields = (
            "id",
            "member",
            "member_name",
            "community",
            "community_name",
            "posts",
            "registered_on",
            "ended_on",
        )
        read_only_fields = fields


class ReportCreateSerializer(serializers.Serializer):
    member = id_field(required=False, help_text="党员编号；党员本人报到时可省略")
    community = id_field(help_text="居住地社区党组织编号")
    posts = serializers.ListField(child=id_field(), required=False, help_text="认领的服务岗位编号")


class HoursCreateSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    description = serializers.CharField(max_length=255)
    post = id_field(required=False, allow_null=True)
