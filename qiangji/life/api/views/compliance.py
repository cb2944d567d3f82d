"""Compliance and the lapse list (/api/v1/life/compliance/...): reads over the user's subtree."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.pagination import BoundedLimitOffsetPagination
from qiangji.life import selectors
from qiangji.life.api import serializers as s
from qiangji.life.api.views.base import ERRORS, org_or_404, valid
from qiangji.orgs.models import Organisation

# The query parameters are the query serializers' fields: their bounds (org an int64 id, year
# 2000-2100, number 1-12) are published and checked before any query (400 naming the parameter).
PERIOD_PARAMS = [s.LifePeriodQuerySerializer]


class BranchPagination(BoundedLimitOffsetPagination):
    default_limit = 50
    max_limit = 500


def page_parameters(paginator) -> list[OpenApiParameter]:
    """The paginator's `limit`/`offset` with their published bounds, for an APIView's extend_schema."""
    return [
        OpenApiParameter(p["name"], p["schema"], description=p["description"])
        for p in paginator.get_schema_operation_parameters(None)
    ]


def _root(request, pk) -> Organisation:
    if pk is None:
        org = selectors.scope_root(request.user, Action.VIEW)
        if org is None:
            raise NotFound("请用 org 参数指定党组织")
        return org
    return org_or_404(request, pk, Action.VIEW)


def _period(request):
    data = valid(s.LifePeriodQuerySerializer, request.query_params)
    return _root(request, data.get("org")), selectors.make_period(
        data["period"],
        data["year"],
        data["number"],
        today=today(),  # a running period: its complete months
    )


class ComplianceSummaryView(APIView):
    @extend_schema(
        summary="组织生活达标情况汇总（含下一级分解）",
        parameters=PERIOD_PARAMS,
        responses={200: s.LifeSummarySerializer, **ERRORS},
    )
    def get(self, request):
        root, period = _period(request)
        return Response(selectors.compliance_summary(root, period))


class ComplianceBranchesView(APIView):
    @extend_schema(
        summary="各支部达标情况（分页，按组织路径排序）",
        parameters=[
            *PERIOD_PARAMS,
            OpenApiParameter("missing", bool, description="只看缺少规定会议的支部"),
            *page_parameters(BranchPagination()),
        ],
        responses={200: s.LifeBranchCompliancePageSerializer, **ERRORS},
    )
    def get(self, request):
        root, period = _period(request)
        paginator = BranchPagination()
        limit = paginator.get_limit(request)
        offset = paginator.get_offset(request)
        only_missing = request.query_params.get("missing") in ("1", "true", "True")
        total, rows = selectors.compliance_rows(
            root, period, only_missing=only_missing, limit=limit, offset=offset
        )
        return Response({"count": total, "results": s.LifeBranchComplianceSerializer(rows, many=True).data})


class ComplianceSeriesView(APIView):
    @extend_schema(
        summary="按月统计召开各类会议的支部数（图表）",
        parameters=[s.LifeSeriesQuerySerializer],
        responses={200: dict, **ERRORS},
    )
    def get(self, request):
        data = valid(s.LifeSeriesQuerySerializer, request.query_params)
        return Response(selectors.monthly_series(_root(request, data.get("org")), data["year"]))


class LapsedMembersView(APIView):
    @extend_schema(
        summary="连续6个月未参加组织生活的党员（docs/rules.md §5）",
        parameters=[s.LifeOrgQuerySerializer, *page_parameters(BoundedLimitOffsetPagination())],
        responses={200: s.LifeLapsedPageSerializer, **ERRORS},
    )
    def get(self, request):
        org = valid(s.LifeOrgQuerySerializer, request.query_params).get("org")
        members = selectors.lapsed_in(request.user, _root(request, org) if org else None, today())
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(members, request, view=self)
        return paginator.get_paginated_response(s.LifeLapsedMemberSerializer(page, many=True).data)
