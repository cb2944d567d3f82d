"""Compliance and the lapse list (/api/v1/life/compliance/...): reads over the user's subtree."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.life import selectors
from qiangji.life.api import serializers as s
from qiangji.life.api.views.base import ERRORS, org_or_404, valid
from qiangji.orgs.models import Organisation

PERIOD_PARAMS = [
    OpenApiParameter("org", int, description="党组织编号（默认：本人管理范围的根）"),
    OpenApiParameter("period", str, enum=["month", "quarter", "year"], description="统计周期，默认 month"),
    OpenApiParameter("year", int, required=True),
    OpenApiParameter("number", int, description="月份或季度序号；年度为1"),
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
    return _root(request, data.get("org")), selectors.make_period(data["period"], data["year"], data["number"])


class ComplianceSummaryView(APIView):
    @extend_schema(summary="组织生活达标情况汇总（含下一级分解）", parameters=PERIOD_PARAMS,
                   responses={200: s.LifeSummarySerializer, **ERRORS})
    def get(self, request):
        root, period = _period(request)
        return Response(selectors.compliance_summary(root, period))


class ComplianceBranchesView(APIView):
    @extend_schema(summary="各支部达标情况（分页，按组织路径排序）",
                   parameters=[*PERIOD_PARAMS, OpenApiParameter("missing", bool, description="只看缺少规定会议的支部"),
                               OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses={200: s.LifeBranchComplianceSerializer(many=True), **ERRORS})
    def get(self, request):
        root, period = _period(request)
        paginator = LimitOffsetPagination()
        limit = min(paginator.get_limit(request) or 50, 500)
        offset = paginator.get_offset(request)
        only_missing = request.query_params.get("missing") in ("1", "true", "True")
        total, rows = selectors.compliance_rows(root, period, only_missing=only_missing, limit=limit, offset=offset)
        return Response({"count": total, "results": s.LifeBranchComplianceSerializer(rows, many=True).data})


class ComplianceSeriesView(APIView):
    @extend_schema(summary="按月统计召开各类会议的支部数（图表）", parameters=PERIOD_PARAMS[:1] + PERIOD_PARAMS[2:3],
                   responses={200: dict, **ERRORS})
    def get(self, request):
        data = valid(s.LifePeriodQuerySerializer, request.query_params)
        return Response(selectors.monthly_series(_root(request, data.get("org")), data["year"]))


class LapsedMembersView(APIView):
    @extend_schema(summary="连续6个月未参加组织生活的党员（docs/rules.md §5）",
                   parameters=[OpenApiParameter("org", int), OpenApiParameter("limit", int),
                               OpenApiParameter("offset", int)],
                   responses={200: s.LifeLapsedMemberSerializer(many=True), **ERRORS})
    def get(self, request):
        org = request.query_params.get("org")
        members = selectors.lapsed_in(request.user, _root(request, org) if org else None, today())
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(members, request, view=self)
        return paginator.get_paginated_response(s.LifeLapsedMemberSerializer(page, many=True).data)
