"""POST /api/v1/imports/: upload a roster file; answers 202 with the job to poll."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import error_response
from qiangji.members.import_views import ImportForm, start_import
from qiangji.members.importing import can_import

_Accepted = inline_serializer("ImportAccepted", {
    "job": serializers.UUIDField(help_text="任务编号"),
    "status": serializers.CharField(help_text="queued / running / succeeded / failed"),
    "url": serializers.CharField(help_text="查询进度与错误的地址 /api/v1/jobs/<id>/"),
})


class ImportUploadView(APIView):
    """小文件（≤1 MB）在请求内完成（返回的 status 已是 succeeded 或 failed），大文件在后台执行。"""

    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["imports"], operation_id="imports_create",
        request={"multipart/form-data": inline_serializer("ImportUpload", {"file": serializers.FileField()})},
        responses={202: _Accepted, 400: OpenApiResponse(description="文件缺失、格式或大小不符"),
                   403: OpenApiResponse(description="没有导入权限")},
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
        return Response({"job": str(job.pk), "status": job.status, "url": url}, status=status.HTTP_202_ACCEPTED)
