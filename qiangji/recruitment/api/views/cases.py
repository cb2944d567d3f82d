"""REST API of the development pipeline (/api/v1/recruitment/): cases and one endpoint per case to
record a step.  A gate violation answers 422 {"code": "rule_violation", "rule", "detail"}; a case
outside the user's subtree answers 404 and nothing changes."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.orgs.models import Organisation
from qiangji.recruitment import services
from qiangji.recruitment.api.serializers import (
    ApplicationSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    RuleOverrideSerializer,
    RuleSerializer,
    RuleViolationSerializer,
    StepSerializer,
    TightenSerializer,
)
from qiangji.recruitment.filters import CaseFilter
from qiangji.recruitment.models import Case
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.selectors import cases as selectors
from qiangji.recruitment.services.dispatch import SERVICES

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}
_STEP_FIELDS = "各步骤代码及 fields 可用字段：\n\n" + "\n".join(
    f"- `{code}`：{', '.join(allowed) or '（无）'}" for code, (_service, allowed) in SERVICES.items()
)
RULE_ERROR = {
    422: OpenApiResponse(
        RuleViolationSerializer,
        description="违反发展党员工作规则（code=rule_violation），rule 为“规则集:规则代码”",
    )
}


class RuleViolationMixin:
    """Maps RuleViolation to 422 with the rule named; every other error goes to core's handler."""

    def handle_exception(self, exc):
        if isinstance(exc, RuleViolation):
            return Response(exc.as_dict(), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return super().handle_exception(exc)


@extend_schema_view(
    list=extend_schema(
        summary="发展党员工作记录列表（本人管理范围内）",
        responses={200: CaseSerializer, **ERRORS},
        parameters=[
            OpenApiParameter("org", int, description="党组织编号，含其全部下级"),
            OpenApiParameter("status", str, description="状态"),
            OpenApiParameter("step", int, description="当前步骤（已完成的最后一步）"),
        ],
    ),
    retrieve=extend_schema(
        summary="发展党员工作记录详情（含步骤时间线）", responses={200: CaseDetailSerializer, **ERRORS}
    ),
    create=extend_schema(
        summary="登记入党申请（第1步）",
        request=ApplicationSerializer,
        responses={201: CaseDetailSerializer, **ERRORS, **RULE_ERROR},
    ),
)
class CaseViewSet(
    RuleViolationMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = Case  # read through the user's scope by ScopedViewSetMixin
    serializer_class = CaseSerializer

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action in ("retrieve", "steps") else CaseSerializer

    def get_queryset(self):
        queryset = super().get_queryset().select_related("organisation")
        if self.action == "retrieve":
            return selectors.detail_prefetches(queryset)
        return self._filtered(queryset)

    def _filtered(self, queryset):
        return CaseFilter(self.request.query_params, queryset=queryset, request=self.request).qs

    def create(self, request, *args, **kwargs):
        serializer = ApplicationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        case = services.submit_application(
            actor=request.user,
            organisation=values.pop("organisation"),
            applied_on=values.pop("applied_on"),
            group=values.pop("group"),
            values=values,
        )
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="记录一个步骤（第2–25步，或公示、异议、特批、转接等操作）",
        request=StepSerializer,
        description=_STEP_FIELDS
        + '\n\n违反硬性关卡时返回 422：{"code": "rule_violation", "rule": "fzdy-2026:step07.'
        'activist_min_period", "detail": "…"}。成功时返回更新后的记录（含时间线）。',
        responses={201: CaseDetailSerializer, **ERRORS, **RULE_ERROR},
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        case = self.get_object()
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.record_step(
            actor=request.user, case=case, step_code=data["step"], date=data["date"], fields=data["fields"]
        )
        case = Case.objects.visible_to(request.user).get(pk=case.pk)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="发展党员规则（两个规则集，含依据条文）",
        responses={200: RuleSerializer, **ERRORS},
        parameters=[OpenApiParameter("rule_set", str, description="fzdy-2014 或 fzdy-2026")],
    ),
    retrieve=extend_schema(summary="规则详情", responses={200: RuleSerializer, **ERRORS}),
)
class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    """National rule data, the same for everyone; tightening is scoped by the organisation given."""

    serializer_class = RuleSerializer

    def get_queryset(self):
        return selectors.rule_list(self.request.query_params.get("rule_set"))

    @extend_schema(
        summary="从严调整规则（仅省级组织部门；不能放宽）",
        request=TightenSerializer,
        responses={201: RuleOverrideSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def tighten(self, request, pk=None):
        serializer = TightenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        org = get_in_scope_or_404(Organisation, request.user, values.pop("organisation"), Action.CHANGE)
        override = services.set_rule_override(
            actor=request.user, rule=self.get_object(), organisation=org, **values
        )
        return Response(RuleOverrideSerializer(override).data, status=status.HTTP_201_CREATED)
