"""REST API for members (/api/v1/members/) and the roster upload (/api/v1/imports/).

Masked identifiers out, clear ones in (write-only).  The serializers only shape types; every rule is
checked by `validation.py` and `services`, so the API refuses exactly what the form and the import
refuse, with the same Chinese messages.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin, error_response
from qiangji.members import services
from qiangji.members.api.serializers import (
    CompletenessSerializer,
    ImportAcceptedSerializer,
    ImportUploadSerializer,
    MemberSerializer,
    MemberWriteSerializer,
)
from qiangji.members.filters import MemberFilter
from qiangji.members.models import Member
from qiangji.members.roster.importing import can_import
from qiangji.members.roster.uploads import ImportForm, start_import
from qiangji.members.selectors import cached_completeness, member_list

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}


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
    model = Member
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


class ImportUploadView(APIView):
    """小文件（≤1 MB）在请求内完成（返回的 status 已是 succeeded 或 failed），大文件在后台执行。"""

    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["imports"],
        operation_id="imports_create",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            202: ImportAcceptedSerializer,
            400: OpenApiResponse(description="文件缺失、格式或大小不符"),
            403: OpenApiResponse(description="没有导入权限"),
        },
    )
    def post(self, request):
        if not can_import(request.user):
            raise PermissionDenied("您没有导入党员名册的权限")
        form = ImportForm(files=request.FILES)
        if not form.is_valid():
            message = form.errors.get("file", ["名册文件：请上传文件"])[0]
            if message == "这个字段是必填项。" or "required" in message:
                message = "名册文件：请上传文件"
            return error_response("invalid", message)
        job = start_import(request.user, form.cleaned_data["file"])
        url = reverse("api-job-detail", kwargs={"pk": job.pk})
        return Response(
            {"job": str(job.pk), "status": job.status, "url": url}, status=status.HTTP_202_ACCEPTED
        )
