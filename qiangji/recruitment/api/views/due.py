"""API of the due list (issue item 8), beside the case endpoints: overdue and soon-due steps over the
user's subtree.  Mounted under /api/v1/recruitment/ by `api.urls`."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES
from qiangji.core.dates import today as today_
from qiangji.recruitment.api.serializers import DueListSerializer
from qiangji.recruitment.forms.base import horizon
from qiangji.recruitment.selectors import due
from qiangji.recruitment.selectors.cases import visible_org

ERRORS = {code: ERROR_RESPONSES[code] for code in (401, 403, 404)}
MAX_ITEMS = 500


class DueListView(APIView):
    """Overdue and soon-due steps over the user's subtree (or `org`), computed set-wise in SQL."""

    @extend_schema(
        operation_id="recruitment_due_list",
        tags=["recruitment"],
        summary="发展党员到期清单",
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
        org = visible_org(request.user, request.GET.get("org"))
        if request.GET.get("org") and org is None:
            raise Http404()
        days, today = horizon(request), today_()
        limit = _limit(request)
        path_ = org.path if org else None
        only = request.GET.get("rule", "")
        rows = [
            r
            for r in due.summary(request.user, org_path=path_, day=today, horizon=days)
            if not only or r.deadline.code == only
        ]
        if only and not rows:
            raise Http404("未找到该规则")
        cases = due.base_cases(request.user, path_).select_related("organisation")
        items = []
        for row in rows:
            fetched = due.rule_cases(cases, row.deadline, today, days)[:limit]
            items += [_item(item) for item in due.items(row.deadline, fetched, today)]
        summary = [
            {
                "step": r.deadline.step,
                "step_name": r.deadline.step_name,
                "rule": r.deadline.rule.qualified_code,
                "title": r.deadline.rule.title,
                "overdue": r.overdue,
                "soon": r.soon,
            }
            for r in rows
        ]
        return Response(
            DueListSerializer({"day": today, "days": days, "summary": summary, "items": items}).data
        )


def _limit(request) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", 50)), MAX_ITEMS))
    except ValueError:
        return 50


def _item(item) -> dict:
    return {
        "case": item.case.pk,
        "name": item.case.name,
        "organisation": item.case.organisation.name,
        "rule": item.deadline.rule.qualified_code,
        "step": item.deadline.step,
        "reference_date": getattr(item.case, item.deadline.ref_field),
        "due_on": item.due_on,
        "days_left": item.days_left,
        "provisional": item.provisional,
    }
