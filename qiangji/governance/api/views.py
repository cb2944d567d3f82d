"""REST API of the governance app (/api/v1/governance/): thin; every rule is in `services`."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.governance import selectors, services
from qiangji.governance.api import serializers as s
from qiangji.governance.filters import CaseFilter, DecisionFilter
from qiangji.governance.models import (
    ContactPoint,
    Decision,
    DecisionRule,
    Finding,
    Objection,
    PowerCase,
    PowerItem,
    WhistleReport,
)
from qiangji.orgs.models import Organisation

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _org(request, pk, action=Action.CHANGE) -> Organisation:
    return get_in_scope_or_404(Organisation, request.user, pk, action)


@extend_schema_view(
    list=extend_schema(
        summary="小微权力清单（本县清单与全国模板）", responses={200: s.GovItemSerializer, **ERRORS}
    ),
    retrieve=extend_schema(
        summary="小微权力事项及其办理流程", responses={200: s.GovItemSerializer, **ERRORS}
    ),
)
class ItemViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = PowerItem.objects.prefetch_related("steps").order_by("org_path", "code")
    serializer_class = s.GovItemSerializer


@extend_schema_view(
    list=extend_schema(summary="小微权力事项办理", responses={200: s.GovCaseSerializer, **ERRORS}),
    retrieve=extend_schema(
        summary="办理详情（环节记录与异议）", responses={200: s.GovCaseSerializer, **ERRORS}
    ),
)
class CaseViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = PowerCase.objects.prefetch_related("records", "objections").order_by("-opened_on", "-id")
    serializer_class = s.GovCaseSerializer
    filterset_class = CaseFilter

    @extend_schema(
        summary="受理小微权力事项",
        request=s.GovCaseCreateSerializer,
        responses={201: s.GovCaseSerializer, **ERRORS},
    )
    def create(self, request):
        data = _valid(s.GovCaseCreateSerializer, request)
        village = _org(request, data.pop("village"))
        item = get_in_scope_or_404(PowerItem, request.user, data.pop("item"))
        case = services.open_case(actor=request.user, village=village, item=item, **data)
        return Response(s.GovCaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="办理下一环节（跳步、倒序、公示期未满或异议未处理时 400，说明规则）",
        request=s.GovTakeStepSerializer,
        responses={200: s.GovCaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        case = self.get_object()
        data = _valid(s.GovTakeStepSerializer, request)
        data["outcome"] = data.pop("step_outcome")
        spec = case.step_spec(data["order"]) or {"required_documents": []}
        names = spec["required_documents"]
        data["documents"] = [
            names[index - 1] if index <= len(names) else f"#{index}" for index in data["documents"]
        ]
        services.take_step(actor=request.user, case=case, **data)
        case.refresh_from_db()
        return Response(s.GovCaseSerializer(case).data)

    @extend_schema(
        summary="登记公示异议（仅公示期内）",
        request=s.GovObjectionCreateSerializer,
        responses={201: s.GovObjectionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        case = self.get_object()
        objection = services.raise_objection(
            actor=request.user, case=case, **_valid(s.GovObjectionCreateSerializer, request)
        )
        return Response(s.GovObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = Objection.objects.all()
    serializer_class = s.GovObjectionSerializer

    @extend_schema(
        summary="核实处理公示异议",
        request=s.GovResolveSerializer,
        responses={200: s.GovObjectionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        objection = self.get_object()
        objection = services.resolve_objection(
            actor=request.user, objection=objection, **_valid(s.GovResolveSerializer, request)
        )
        return Response(s.GovObjectionSerializer(objection).data)


class DisclosureView(APIView):
    """The village's public page as data: notices with masked names and published decisions (no sign-in)."""

    permission_classes = (permissions.AllowAny,)
    serializer_class = s.GovDisclosureSerializer

    @extend_schema(
        summary="村务公开（公示与决议，姓名遮蔽，无需登录）",
        auth=[],
        responses={200: s.GovDisclosureSerializer, 404: ERROR_RESPONSES[404]},
    )
    def get(self, request, code):
        village = selectors.village_by_code(code)
        if village is None:
            raise NotFound()
        page = selectors.disclosure_for(village)
        return Response(s.GovDisclosureSerializer({"village": village.name, **page}).data)


@extend_schema_view(
    list=extend_schema(
        summary="转给我的举报（本村干部与被反映人看不到）", responses={200: s.GovReportSerializer, **ERRORS}
    ),
)
class ReportViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = WhistleReport.objects.order_by("-received_on", "-id")
    serializer_class = s.GovReportSerializer

    def _read(self, pk, action=Action.VIEW) -> WhistleReport:
        try:
            return services.read_report(actor=self.request.user, pk=pk, action=action)
        except Http404:
            raise NotFound() from None

    @extend_schema(
        summary="举报详情（被反映人查阅时 404，并记入审计日志）",
        responses={200: s.GovReportSerializer, **ERRORS},
    )
    def retrieve(self, request, pk=None):
        return Response(s.GovReportSerializer(self._read(pk)).data)

    @extend_schema(
        summary="提交举报",
        request=s.GovReportCreateSerializer,
        responses={201: s.GovReportSerializer, **ERRORS},
    )
    def create(self, request):
        data = _valid(s.GovReportCreateSerializer, request)
        village = selectors.village_by_pk(data.pop("village"))
        if village is None:
            raise NotFound()
        officers = {user.pk: user for user in selectors.village_officers(village)}
        named = [officers[pk] for pk in data.pop("named_users") if pk in officers]
        report = services.receive_report(actor=request.user, village=village, named_users=named, **data)
        return Response(s.GovReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="举报办结",
        request=s.GovCloseReportSerializer,
        responses={200: s.GovReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        report = self._read(pk, Action.CHANGE)
        report = services.close_report(
            actor=request.user, report=report, **_valid(s.GovCloseReportSerializer, request)
        )
        return Response(s.GovReportSerializer(report).data)


@extend_schema_view(
    list=extend_schema(
        summary="村级重大事项决策清单（本县与默认）", responses={200: s.GovRuleSerializer, **ERRORS}
    ),
    retrieve=extend_schema(summary="决策清单事项", responses={200: s.GovRuleSerializer, **ERRORS}),
)
class RuleViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = DecisionRule.objects.order_by("org_path", "matter")
    serializer_class = s.GovRuleSerializer


@extend_schema_view(
    list=extend_schema(
        summary="村级重大事项（四议两公开）", responses={200: s.GovDecisionSerializer, **ERRORS}
    ),
    retrieve=extend_schema(summary="村级重大事项详情", responses={200: s.GovDecisionSerializer, **ERRORS}),
)
class DecisionViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Decision.objects.prefetch_related("votes").order_by("-proposed_on", "-id")
    serializer_class = s.GovDecisionSerializer
    filterset_class = DecisionFilter

    def _answer(self, decision, code=status.HTTP_200_OK):
        decision.refresh_from_db()
        return Response(s.GovDecisionSerializer(decision).data, status=code)

    @extend_schema(
        summary="村党组织提议（清单内且达到金额标准的事项）",
        request=s.GovDecisionCreateSerializer,
        responses={201: s.GovDecisionSerializer, **ERRORS},
    )
    def create(self, request):
        data = _valid(s.GovDecisionCreateSerializer, request)
        village = _org(request, data.pop("village"))
        return self._answer(
            services.propose_decision(actor=request.user, village=village, **data), status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="乡镇党委前置审核队列", responses={200: s.GovDecisionSerializer(many=True), **ERRORS}
    )
    @action(detail=False, methods=["get"])
    def prereview_queue(self, request):
        page = self.paginate_queryset(selectors.prereview_queue(request.user))
        return self.get_paginated_response(s.GovDecisionSerializer(page, many=True).data)

    @extend_schema(
        summary="村“两委”会议商议",
        request=s.GovDiscussSerializer,
        responses={200: s.GovDecisionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def discuss(self, request, pk=None):
        decision = self.get_object()
        return self._answer(
            services.discuss_decision(
                actor=request.user, decision=decision, **_valid(s.GovDiscussSerializer, request)
            )
        )

    @extend_schema(
        summary="党员大会审议 / 村民代表会议决议（按到会名单计票；不足法定人数 400）",
        request=s.GovVoteCreateSerializer,
        responses={200: s.GovDecisionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        decision = self.get_object()
        data = _valid(s.GovVoteCreateSerializer, request)
        lines = [dict(line) for line in data["attendance"]]
        services.record_vote(
            actor=request.user,
            decision=decision,
            kind=data["meeting"],
            held_on=data["held_on"],
            attendance=lines,
        )
        return self._answer(decision)

    @extend_schema(
        summary="决议公开", request=s.GovPublishSerializer, responses={200: s.GovDecisionSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        decision = self.get_object()
        data = _valid(s.GovPublishSerializer, request)
        services.publish_resolution(
            actor=request.user,
            decision=decision,
            published_on=data["published_on"],
            resolution_text=data["text"],
        )
        return self._answer(decision)

    @extend_schema(
        summary="乡镇党委前置审核（仅村以上党委）",
        request=s.GovPreReviewSerializer,
        responses={200: s.GovDecisionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def prereview(self, request, pk=None):
        decision = self.get_object()
        return self._answer(
            services.prereview_decision(
                actor=request.user, decision=decision, **_valid(s.GovPreReviewSerializer, request)
            )
        )

    @extend_schema(
        summary="组织实施（前置审核同意前 400）",
        request=s.GovExecuteSerializer,
        responses={200: s.GovDecisionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        decision = self.get_object()
        return self._answer(
            services.execute_decision(
                actor=request.user, decision=decision, **_valid(s.GovExecuteSerializer, request)
            )
        )

    @extend_schema(
        summary="实施结果公开",
        request=s.GovPublishSerializer,
        responses={200: s.GovDecisionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        decision = self.get_object()
        data = _valid(s.GovPublishSerializer, request)
        services.publish_outcome(
            actor=request.user,
            decision=decision,
            published_on=data["published_on"],
            outcome_text=data["text"],
        )
        return self._answer(decision)


@extend_schema_view(
    list=extend_schema(
        summary="联系点（最近走访、未销号与逾期问题数）", responses={200: s.GovPointSerializer, **ERRORS}
    ),
    retrieve=extend_schema(summary="联系点详情", responses={200: s.GovPointSerializer, **ERRORS}),
)
class PointViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = ContactPoint.objects.all()
    serializer_class = s.GovPointSerializer

    def get_queryset(self):
        return selectors.points_for(self.request.user).filter(pk__in=super().get_queryset().values("pk"))

    @extend_schema(
        summary="登记走访、蹲点或四不两直调研（发现的问题逐条跟踪；照片请用页面上传）",
        request=s.GovVisitCreateSerializer,
        responses={201: s.GovVisitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        point = self.get_object()
        data = _valid(s.GovVisitCreateSerializer, request)
        data["findings"] = [dict(row) for row in data["findings"]]
        data["kind"] = data.pop("visit_kind")
        visit = services.record_visit(actor=request.user, point=point, **data)
        return Response(s.GovVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="调研发现问题", responses={200: s.GovFindingSerializer, **ERRORS}),
    retrieve=extend_schema(summary="问题详情", responses={200: s.GovFindingSerializer, **ERRORS}),
)
class FindingViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Finding.objects.order_by("deadline", "id")
    serializer_class = s.GovFindingSerializer

    @extend_schema(
        summary="整改销号（须有佐证）",
        request=s.GovCloseFindingSerializer,
        responses={200: s.GovFindingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        finding = self.get_object()
        finding = services.close_finding(
            actor=request.user, finding=finding, **_valid(s.GovCloseFindingSerializer, request)
        )
        return Response(s.GovFindingSerializer(finding).data)
