"""REST API of organisational life (/api/v1/life/): thin over the services and selectors.

Objects are read through `.visible_to(user)` (ScopedViewSetMixin): a foreign id answers 404 and
changes nothing.  Writes call the same services as the pages, so they refuse the same things with
the same Chinese messages.  Check-in needs no grant: the valid QR token is the authority.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.life import serializers as s
from qiangji.life import services
from qiangji.life.models import MeetingType, MonthlyTheme, PlanItem, YearPlan
from qiangji.orgs.models import Organisation

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _org(request, pk) -> Organisation:
    """An organisation id from the request body: outside the user's subtree it answers 404."""
    org = Organisation.objects.visible_to(request.user, Action.CHANGE).filter(pk=pk).first()
    if org is None:
        raise NotFound()
    return org


class MeetingTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The national rule table (with sources) every user may read; it holds no organisation data."""

    queryset = MeetingType.objects.all()
    serializer_class = s.LifeMeetingTypeSerializer
    pagination_class = None

    @extend_schema(summary="会议类型及全国规定频次", responses={200: s.LifeMeetingTypeSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="月度主题（本级及上级推送）", responses={200: s.LifeThemeSerializer, **ERRORS}),
    retrieve=extend_schema(summary="月度主题详情", responses={200: s.LifeThemeSerializer, **ERRORS}),
    create=extend_schema(summary="发布月度主题和规定动作", request=s.LifeThemeInputSerializer,
                         responses={201: s.LifeThemeSerializer, **ERRORS}),
)
class ThemeViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = MonthlyTheme.objects.select_related("organisation").prefetch_related("items")
    serializer_class = s.LifeThemeSerializer

    def create(self, request):
        data = _valid(s.LifeThemeInputSerializer, request.data)
        theme = services.push_theme(actor=request.user, organisation=_org(request, data.pop("organisation")), **data)
        return Response(s.LifeThemeSerializer(theme).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="年度计划", responses={200: s.LifePlanSerializer, **ERRORS}),
    retrieve=extend_schema(summary="年度计划详情", responses={200: s.LifePlanSerializer, **ERRORS}),
    create=extend_schema(summary="制定年度计划（自动继承上级推送的主题党日）", request=s.LifePlanInputSerializer,
                         responses={201: s.LifePlanSerializer, **ERRORS}),
)
class PlanViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = YearPlan.objects.prefetch_related("items__meeting_type")
    serializer_class = s.LifePlanSerializer

    def create(self, request):
        data = _valid(s.LifePlanInputSerializer, request.data)
        plan = services.make_plan(actor=request.user, organisation=_org(request, data.pop("organisation")), **data)
        return Response(s.LifePlanSerializer(YearPlan.objects.get(pk=plan.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="添加计划事项", request=s.LifePlanItemInputSerializer,
                   responses={201: s.LifePlanItemSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        plan = self.get_object()
        data = _valid(s.LifePlanItemInputSerializer, request.data)
        item = services.add_plan_item(actor=request.user, plan=plan, **data)
        return Response(s.LifePlanItemSerializer(item).data, status=status.HTTP_201_CREATED)


class PlanItemViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = PlanItem.objects.select_related("meeting_type")
    serializer_class = s.LifePlanItemSerializer

    @extend_schema(summary="取消计划事项（上级推送的须写明理由）", request=s.LifeReasonSerializer,
                   responses={200: s.LifePlanItemSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        item = self.get_object()
        data = _valid(s.LifeReasonSerializer, request.data)
        item = services.drop_plan_item(actor=request.user, item=item, reason=data.get("reason", ""))
        return Response(s.LifePlanItemSerializer(item).data)
