"""API of the recruitment tools beside the engine's case endpoints: the due list (issue item 8),
plans versus actual (item 9).  Mounted under /api/v1/recruitment/ next to `api_urls`."""

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES
from qiangji.recruitment.selectors import due
from qiangji.recruitment.views.common import horizon, subtree

ERRORS = {code: ERROR_RESPONSES[code] for code in (401, 403, 404)}
MAX_ITEMS = 500


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


class DueListView(APIView):
    """Overdue and soon-due steps over the user's subtree (or `org`), computed set-wise in SQL."""

    @extend_schema(
        operation_id="recruitment_due_list", tags=["recruitment"], summary="发展党员到期清单",
        description="按规则表计算已逾期和 days 天内到期的步骤（每条规则一次 SQL 查询）。org 为党组织编号（含下级）。",
        parameters=[
            OpenApiParameter("org", int, description="党组织编号（含下级）；默认为本人全部管理范围"),
            OpenApiParameter("days", int, description="即将到期的天数（0–366，默认 30）"),
            OpenApiParameter("rule", str, description="只看某条规则（规则代码，如 step17.approval_within）"),
            OpenApiParameter("limit", int, description="每条规则最多返回的人数（默认 50，最多 500）"),
        ],
        responses={200: DueListSerializer, **ERRORS},
    )
    def get(self, request):
        org = subtree(request)
        days, today = horizon(request), timezone.localdate()
        limit = _limit(request)
        path_ = org.path if org else None
        only = request.GET.get("rule", "")
        rows = [r for r in due.summary(request.user, org_path=path_, day=today, horizon=days)
                if not only or r.deadline.code == only]
        if only and not rows:
            raise Http404("未找到该规则")
        cases = due.base_cases(request.user, path_).select_related("organisation")
        items = []
        for row in rows:
            fetched = due.rule_cases(cases, row.deadline, today, days)[:limit]
            items += [_item(item) for item in due.items(row.deadline, fetched, today)]
        summary = [{"step": r.deadline.step, "step_name": r.deadline.step_name, "rule": r.deadline.rule.qualified_code,
                    "title": r.deadline.rule.title, "overdue": r.overdue, "soon": r.soon} for r in rows]
        return Response(DueListSerializer({"day": today, "days": days, "summary": summary, "items": items}).data)


def _limit(request) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", 50)), MAX_ITEMS))
    except ValueError:
        return 50


def _item(item) -> dict:
    return {"case": item.case.pk, "name": item.case.name, "organisation": item.case.organisation.name,
            "rule": item.deadline.rule.qualified_code, "step": item.deadline.step,
            "reference_date": getattr(item.case, item.deadline.ref_field), "due_on": item.due_on,
            "days_left": item.days_left, "provisional": item.provisional}


urlpatterns = [
    path("due/", DueListView.as_view(), name="recruitment-due"),
]
