"""Output shapes of the mobility API: no clear ID numbers or phones, only masked tails."""

from rest_framework import serializers

from qiangji.mobility.choices import AnchorKind
from qiangji.mobility.models import Certificate, DualAnchor, MobileFlow, Transfer, VolunteerHours


class TransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transfer
        fields = ("id", "number", "kind", "status", "member", "member_name", "from_org", "from_org_name", "to_org",
                  "to_org_name", "to_branch", "reason", "dues_paid_to", "issued_on", "valid_days", "expires_on",
                  "receipt_due_on", "accepted_on", "returned_on", "return_reason", "receipt_returned_on")
        read_only_fields = fields


class FlowSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    out_org_name = serializers.CharField(source="out_org.name", read_only=True)
    in_org_name = serializers.CharField(source="in_org.name", read_only=True, default="")
    contact_phone_masked = serializers.CharField(read_only=True, help_text="仅显示后四位")

    class Meta:
        model = MobileFlow
        fields = ("id", "member", "member_name", "status", "out_org", "out_org_name", "in_org", "in_org_name",
                  "province", "city", "county", "employer", "place", "reason", "left_on", "expected_return_on",
                  "contact_phone_masked", "self_registered", "accepted_on", "returned_on", "note")
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Certificate
        fields = ("id", "number", "member", "member_name", "status", "issued_on", "valid_until", "last_checked_on",
                  "revoked_on", "revoked_reason", "token", "key_id")
        read_only_fields = fields


class AnchorSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    second_org_name = serializers.CharField(source="second_org.name", read_only=True)

    class Meta:
        model = DualAnchor
        fields = ("id", "branch", "branch_name", "second_org", "second_org_name", "second_kind", "note")
        read_only_fields = fields


class AnchorWriteSerializer(serializers.Serializer):
    branch = serializers.IntegerField(help_text="党支部编号（须在本人管理范围内）")
    second_org = serializers.IntegerField(help_text="第二隶属组织编号（平台企业/站点/车队或属地街道社区）")
    second_kind = serializers.ChoiceField(choices=AnchorKind.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class HoursSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="report.member.name", read_only=True)
    community_name = serializers.CharField(source="report.community.name", read_only=True)

    class Meta:
        model = VolunteerHours
        fields = ("id", "member_name", "community_name", "served_on", "hours", "description", "status", "decided_on")
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
