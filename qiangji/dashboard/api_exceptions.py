"""GET /api/v1/dashboard/orgs/<pk>/exceptions/<kind>/: the records behind an exception count, paged.

Same scope and rows as the HTML list (`dashboard.exceptions`): an organisation outside the user's subtree,
or a member's own branch, is a 404; `limit`/`offset` page in SQL (at most 500 a page).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES
from qiangji.dashboard import exceptions
from qiangji.dashboard.views.common import dashboard_org, today

MAX_LIMIT = 500


class ExceptionRowSerializer(serializers.Serializer):
    record = serializers.CharField(help_text="异常所涉及的党员、发展对象或党组织")
    organisation = serializers.CharField(help_text="所在党组织")
    detail = serializers.CharField(help_text="情况说明（中文）")
    date = serializers.DateField(allow_null=True, help_text="该类异常的日期：应完成日、任期届满日、最早未交月份等")
    amount = serializers.IntegerField(allow_null=True, help_text="逾期天数、欠交月数等")
    rule = serializers.CharField(help_text="依据的规则集")
    url = serializers.CharField(help_text="该记录在所属模块中的页面")


class ExceptionPageSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="该党组织及其下级的此类异常总数（与一屏掌控的数字一致）")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ExceptionRowSerializer(many=True)


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT


class ExceptionListView(APIView):
    @extend_schema(
        operation_id="dashboard_org_exceptions_list", tags=["dashboard"],
        summary="异常事项明细（分页）",
        description="一屏掌控中每个异常数字背后的记录，限于该党组织及其下级。kind："
                    + "；".join(f"{k.code}（{k.label}）" for k in exceptions.KINDS.values()),
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(exceptions.KINDS)),
                    OpenApiParameter("limit", int, description=f"每页条数，默认50，最多{MAX_LIMIT}"),
                    OpenApiParameter("offset", int)],
        responses={200: ExceptionPageSerializer, **{code: ERROR_RESPONSES[code] for code in (401, 403, 404)}},
    )
    def get(self, request, pk, kind):
        try:
            org = dashboard_org(request.user, pk)
        except Http404:
            raise NotFound()
        if kind not in exceptions.KINDS:
            raise NotFound("没有这一类异常")
        paginator = Pagination()
        limit = paginator.get_limit(request) or exceptions.PAGE_SIZE
        offset = paginator.get_offset(request)
        total, rows = exceptions.page(kind, request.user, org, today(), limit=limit, offset=offset)
        paginator.count, paginator.limit, paginator.offset, paginator.request = total, limit, offset, request
        return Response({
            "kind": kind, "label": exceptions.KINDS[kind].label, "count": total,
            "next": paginator.get_next_link(), "previous": paginator.get_previous_link(),
            "results": ExceptionRowSerializer(rows, many=True).data,
        })
