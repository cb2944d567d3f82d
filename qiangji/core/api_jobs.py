"""GET /api/v1/jobs/<id>/: a background job's status, progress and errors (scoped: 404 outside)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from qiangji.core.api import ScopedViewSetMixin
from qiangji.core.jobs import progress_of
from qiangji.core.models import Job


class JobErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 中看到的行号（表头为第 1 行）")
    column = serializers.CharField(help_text="列名（中文表头）")
    message = serializers.CharField(help_text="错误说明")


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(help_text="已处理的行数（运行中时为实时进度）")
    total = serializers.SerializerMethodField(help_text="总行数（运行中时为估计值）")
    percent = serializers.SerializerMethodField()
    errors = JobErrorSerializer(many=True, read_only=True, help_text="最多 1000 条；总数见 error_count")  # type: ignore[assignment]  # the field shadows Serializer.errors (DRF allows it)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "total",
            "percent",
            "message",
            "error_count",
            "errors",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def _progress(self, job) -> dict:
        cached = getattr(job, "_progress_cache", None)
        if cached is None:
            cached = job._progress_cache = progress_of(job)
        return cached

    def get_progress(self, job) -> int:
        return self._progress(job)["done"]

    def get_total(self, job) -> int:
        return self._progress(job)["total"]

    def get_percent(self, job) -> int:
        return self._progress(job)["percent"]


@extend_schema(tags=["jobs"])
class JobViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """后台任务（如名册导入）的状态、进度与错误列表；只能查看自己创建的或管辖范围内的任务。"""

    queryset = Job.objects.all()
    serializer_class = JobSerializer


urlpatterns = [
    path("jobs/<uuid:pk>/", JobViewSet.as_view({"get": "retrieve"}), name="api-job-detail"),
]
