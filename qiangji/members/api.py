"""REST API for members (/api/v1/members/): masked identifiers out, clear ones in (write-only).

The serializers only shape types; every rule is checked by `validation.py` and `services.py`, so
the API refuses exactly what the form and the import refuse, with the same Chinese messages.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.members import services
from qiangji.members.filters import MemberFilter
from qiangji.members.models import Member
from qiangji.members.selectors import cached_completeness, member_list
from qiangji.members.validation import LABELS, labelled

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}


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

    organisation = serializers.IntegerField(
        required=False, help_text="所在党支部编号（新增时必填，修改时不可变）"
    )
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


@extend_schema_view(
    list=extend_schema(
        summary="党员列表（仅本人管理范围，证件号与电话已脱敏）",
        responses={200: MemberSerializer, **ERRORS},
        parameters=[
            OpenApiParameter("org", int, description="党组织编号，含其全部下级"),
            OpenApiParameter("search", str, description="姓名、拼音/首字母、证件号或手机尾号"),
        ],
    ),
    retrieve=extend_schema(summary="党员详情", responses={200: MemberSerializer, **ERRORS}),
    create=extend_schema(
        summary="新增党员", request=MemberWriteSerializer, responses={201: MemberSerializer, **ERRORS}
    ),
    update=extend_schema(
        summary="修改党员信息（未提供的字段不变）",
        request=MemberWriteSerializer,
        responses={200: MemberSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="修改党员部分信息", request=MemberWriteSerializer, responses={200: MemberSerializer, **ERRORS}
    ),
)
class MemberViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Member.objects.all()
    serializer_class = MemberSerializer
    filterset_class = MemberFilter

    def get_queryset(self):
        return member_list(super().get_queryset())

    @extend_schema(
        summary="信息完整度（按筛选条件汇总，org= 含全部下级）",
        responses={200: CompletenessSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def completeness(self, request):
        summary = cached_completeness(self.filter_queryset(self.get_queryset()))
        missing = [{"key": key, "label": label, "count": count} for key, label, count in summary["missing"]]
        return Response(CompletenessSerializer(summary | {"missing": missing}).data)

    def _values(self, request, *, partial: bool) -> dict:
        serializer = MemberWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        values = self._values(request, partial=False)
        organisation = values.pop("organisation", None)
        if organisation is None:
            raise serializers.ValidationError({"organisation": ["所在党支部：必填"]})
        member = services.create_member(actor=request.user, organisation=organisation, values=values)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        member = self.get_object()
        values = self._values(request, partial=kwargs.get("partial", False))
        # A client may send back what it read: unchanged branch and status are not edits.
        if values.get("organisation") == member.organisation_id:
            values.pop("organisation")
        if values.get("status") == member.status:
            values.pop("status")
        member = services.update_member(actor=request.user, member=member, values=values)
        return Response(MemberSerializer(member).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
