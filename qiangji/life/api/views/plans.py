"""Themes, year plans and plan items, and the national meeting rules (/api/v1/life/themes/, plans/, …)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qiangji.core.api import ScopedViewSetMixin
from qiangji.life import services
from qiangji.life.api import serializers as s
from qiangji.life.api.views.base import ERRORS, org_or_404, valid
from qiangji.life.models import MonthlyTheme, PlanItem, YearPlan
from qiangji.life.selectors import meetings as reads


class MeetingTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The national rule table (with sources) every user may read; it holds no organisation data."""

    serializer_class = s.LifeMeetingTypeSerializer
    pagination_class = None

    @extend_schema(
        summary="会议类型及全国规定频次", responses={200: s.LifeMeetingTypeSerializer(many=True), **ERRORS}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return reads.meeting_types()


@extend_schema_view(
    list=extend_schema(
        summary="月度主题（本级及上级推送）", responses={200: s.LifeThemeSerializer, **ERRORS}
    ),
    retrieve=extend_schema(summary="月度主题详情", responses={200: s.LifeThemeSerializer, **ERRORS}),
    create=extend_schema(
        summary="发布月度主题和规定动作",
        request=s.LifeThemeInputSerializer,
        responses={201: s.LifeThemeSerializer, **ERRORS},
    ),
)
class ThemeViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = MonthlyTheme
    serializer_class = s.LifeThemeSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").prefetch_related("items")

    def create(self, request):
        data = valid(s.LifeThemeInputSerializer, request.data)
        theme = services.push_theme(
            actor=request.user, organisation=org_or_404(request, data.pop("organisation")), **data
        )
        return Response(s.LifeThemeSerializer(theme).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="年度计划", responses={200: s.LifePlanSerializer, **ERRORS}),
    retrieve=extend_schema(summary="年度计划详情", responses={200: s.LifePlanSerializer, **ERRORS}),
    create=extend_schema(
        summary="制定年度计划（自动继承上级推送的主题党日）",
        request=s.LifePlanInputSerializer,
        responses={201: s.LifePlanSerializer, **ERRORS},
    ),
)
class PlanViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = YearPlan
    serializer_class = s.LifePlanSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items__meeting_type")

    def create(self, request):
        data = valid(s.LifePlanInputSerializer, request.data)
        plan = services.make_plan(
            actor=request.user, organisation=org_or_404(request, data.pop("organisation")), **data
        )
        return Response(s.LifePlanSerializer(reads.plan_row(plan)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="添加计划事项",
        request=s.LifePlanItemInputSerializer,
        responses={201: s.LifePlanItemSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        plan = self.get_object()
        data = valid(s.LifePlanItemInputSerializer, request.data)
        item = services.add_plan_item(actor=request.user, plan=plan, **data)
        return Response(s.LifePlanItemSerializer(item).data, status=status.HTTP_201_CREATED)


class PlanItemViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    model = PlanItem
    serializer_class = s.LifePlanItemSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("meeting_type")

    @extend_schema(
        summary="取消计划事项（上级推送的须写明理由）",
        request=s.LifeReasonSerializer,
        responses={200: s.LifePlanItemSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        item = self.get_object()
        data = valid(s.LifeReasonSerializer, request.data)
        item = services.drop_plan_item(actor=request.user, item=item, reason=data.get("reason", ""))
        return Response(s.LifePlanItemSerializer(item).data)
