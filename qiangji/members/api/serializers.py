"""Member serializers: types and masks only (the shared validation checks the rules)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from qiangji.members.models import Member
from qiangji.members.validation import LABELS, labelled

# An id in a request body: a positive 64-bit integer, checked by the serializer (400 naming the field)
# before any lookup; an unknown id or one outside the user's subtree is then the view's 404.
ID_MAX = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class MemberSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    id_number_masked = serializers.CharField(read_only=True, help_text="仅显示后四位")
    phone_masked = serializers.CharField(source="phone_tail_masked", read_only=True, help_text="仅显示后四位")

    class Meta:
        model = Member
        fields = (
            "id",
            "organisation",
            "organisation_name",
            "name",
            "sex",
            "ethnicity",
            "id_number_masked",
            "birth_date",
            "education",
            "category",
            "joined_on",
            "confirmed_on",
            "post",
            "position",
            "employer",
            "phone_masked",
            "address",
            "status",
            "status_since",
            "political_status",
            "membership_status",
            "lost_contact_since",
            "is_mobile",
            "mobile_destination",
            "family_contact_name",
            "family_contact_relation",
            "national_id",
            "completeness",
            "updated_at",
        )
        read_only_fields = fields


def _text(**kwargs):
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=True, **kwargs
    )


def _date():
    return serializers.DateField(required=False, allow_null=True)


class MemberWriteSerializer(serializers.Serializer):
    """Input for create and update.  Everything is optional here so that the shared validation
    names the missing field in Chinese; type errors are prefixed with the field's label too."""

    organisation = id_field(required=False, help_text="所在党支部编号（新增时必填，修改时不可变）")
    name, sex, ethnicity = _text(max_length=200), _text(), _text()
    id_number = _text(write_only=True, help_text="公民身份证号（明文，仅写入；加密保存）")
    birth_date, joined_on, confirmed_on, lost_contact_since = _date(), _date(), _date(), _date()
    education, category, post, status, membership_status = _text(), _text(), _text(), _text(), _text()
    position, employer, address, mobile_destination = _text(), _text(), _text(), _text()
    phone = _text(write_only=True, help_text="联系电话（明文，仅写入；加密保存）")
    family_contact_name, family_contact_relation = _text(), _text()
    family_contact_phone = _text(write_only=True)
    national_id = _text()
    is_mobile = serializers.BooleanField(required=False)
    lost_contact = serializers.BooleanField(required=False, write_only=True)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
            raise serializers.ValidationError(
                {
                    field: [
                        labelled(field, str(message)) if field in LABELS else str(message)
                        for message in messages
                    ]
                    for field, messages in detail.items()
                }
            )


class MissingItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="全国党员信息项代码")
    label = serializers.CharField(help_text="信息项名称")
    count = serializers.IntegerField(help_text="缺少该项的党员人数")


class CompletenessSerializer(serializers.Serializer):
    average = serializers.IntegerField(allow_null=True, help_text="平均信息完整度（0–100），无党员时为空")
    members = serializers.IntegerField(help_text="在册党员人数（不含已出党、已去世）")
    missing = MissingItemSerializer(many=True, help_text="缺项最多的信息项")


ImportUploadSerializer = inline_serializer("ImportUpload", {"file": serializers.FileField()})
ImportAcceptedSerializer = inline_serializer(
    "ImportAccepted",
    {
        "job": serializers.UUIDField(help_text="任务编号"),
        "status": serializers.CharField(help_text="queued / running / succeeded / failed"),
        "url": serializers.CharField(help_text="查询进度与错误的地址 /api/v1/jobs/<id>/"),
    },
)
