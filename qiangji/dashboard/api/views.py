"""Dashboard API views: the figures (GET /api/v1/dashboard/orgs/<pk>/summary/, …/trend/, …/children/,
issue #6 item 4) and the records behind an exception count (…/exceptions/<kind>/, paged).

Thin views over `dashboard.selectors` and `dashboard.exceptions`; the organisation is resolved through the
user's scope exactly as the screen does (`selectors.dashboard_org`): outside the subtree — or a member's own
branch — 404.  The exception rows are the HTML list's (`dashboard.exceptions`); `limit`/`offset` page in SQL
(at most 500 a page).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES
from qiangji.core.dates import today
from qiangji.core.pagination import BoundedLimitOffsetPagination
from qiangji.dashboard import exceptions, selectors
from qiangji.dashboard.api import serializers as s

TAGS = ["dashboard"]
MAX_LIMIT = 500


def _org(request, pk):
    try:
        return selectors.dashboard_org(request.user, pk)
    except Http404:
        raise NotFound() from None


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SummaryView(APIView):
    @extend_schema(
        operation_id="dashboard_org_summary",
        tags=TAGS,
        summary="一屏掌控：党组织的各项指标",
        description="该党组织及其全部下级的汇总指标（每项含计算口径、数据完整度和更新时间）与异常数。",
        responses={200: s.SummarySerializer},
    )
    def get(self, request, pk):
        org = _org(request, pk)
        summary = selectors.node_summary(org)
        return Response(
            s.SummarySerializer(
                {
                    "org": org,
                    "month": summary["month"],
                    "figures": s.figure_rows(summary["figures"]),
                    "exception_counts": summary["exception_counts"],
                    "data_state": selectors.data_state(),
                }
            ).data
        )


class TrendView(APIView):
    @extend_schema(
        operation_id="dashboard_org_trend",
        tags=TAGS,
        summary="一屏掌控：按月趋势",
        parameters=[OpenApiParameter("months", int, description="月份数，1至24，默认12")],
        responses={200: s.TrendSerializer},
    )
    def get(self, request, pk):
        org = _org(request, pk)
        months = _valid(s.TrendQuerySerializer, request.query_params)["months"]
        return Response(s.TrendSerializer({"org": org, "months": selectors.trend(org, months)}).data)


class ChildrenView(APIView):
    @extend_schema(
        operation_id="dashboard_org_children",
        tags=TAGS,
        summary="一屏掌控：下一级组织的指标",
        description="下一级党组织的各项指标；给出 indicator 与 worst=N 时只返回该指标最差的 N 个。",
        parameters=[
            OpenApiParameter("indicator", str, enum=s.INDICATOR_CODES, description="指标代码"),
            OpenApiParameter("worst", int, description="最差的 N 个（1至100），须同时给出 indicator"),
        ],
        responses={200: s.ChildrenSerializer},
    )
    def get(self, request, pk):
        org = _org(request, pk)
        query = _valid(s.ChildrenQuerySerializer, request.query_params)
        code = query.get("indicator")
        if "worst" in query:
            rows = selectors.worst_children(org, code, query["worst"])
        else:
            rows = selectors.children(org)
            if code:
                rows = [dict(row, value=row["figures"][code]) for row in rows]
        return Response(s.ChildrenSerializer({"org": org, "indicator": code, "results": rows}).data)


def page_parameters(paginator) -> list[OpenApiParameter]:
    """The paginator's `limit`/`offset` with their published bounds, for an APIView's extend_schema."""
    return [
        OpenApiParameter(p["name"], p["schema"], description=p["description"])
        for p in paginator.get_schema_operation_parameters(None)
    ]


class Pagination(BoundedLimitOffsetPagination):
    """limit 1..500 (default exceptions.PAGE_SIZE), offset within core's bound; malformed: 400 naming it."""

    default_limit = exceptions.PAGE_SIZE
    max_limit = MAX_LIMIT


class ExceptionListView(APIView):
    @extend_schema(
        operation_id="dashboard_org_exceptions_list",
        tags=TAGS,
        summary="异常事项明细（分页）",
        description="一屏掌控中每个异常数字背后的记录，限于该党组织及其下级。kind："
        + "；".join(f"{k.code}（{k.label}）" for k in exceptions.KINDS.values()),
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(exceptions.KINDS)),
            *page_parameters(Pagination()),
        ],
        responses={
            200: s.ExceptionPageSerializer,
            **{code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)},
        },
    )
    def get(self, request, pk, kind):
        org = _org(request, pk)
        if kind not in exceptions.KINDS:
            raise NotFound("没有这一类异常")
        paginator = Pagination()
        limit = paginator.get_limit(request) or exceptions.PAGE_SIZE
        offset = paginator.get_offset(request)
        total, rows = exceptions.page(kind, request.user, org, today(), limit=limit, offset=offset)
        paginator.count, paginator.limit, paginator.offset, paginator.request = total, limit, offset, request
        return Response(
            {
                "kind": kind,
                "label": exceptions.KINDS[kind].label,
                "count": total,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": s.ExceptionRowSerializer(rows, many=True).data,
            }
        )
