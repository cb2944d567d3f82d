"""REST API for dues (/api/v1/dues/): thin — reads scoped, writes through `services`, same messages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.scoping import org_in_scope
from qiangji.dues import filters, months, selectors, services
from qiangji.dues.api import serializers as s
from qiangji.dues.models import DuesAccount, DuesBase, HardshipReduction, Payment, Suggestion

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}
ORG = OpenApiParameter("org", int, description="党组织编号（含全部下级）；默认为本人管理范围的顶层组织")
MONTH = OpenApiParameter("month", str, description="月份，如 2026-05")
MEMBER = OpenApiParameter("member", int, description="党员编号")


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="党费基数（历史）"), retrieve=extend_schema(summary="党费基数详情")
)
class BaseViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = DuesBase.objects.order_by("member_id", "-effective_month")
    serializer_class = s.DuesBaseSerializer
    filterset_class = filters.BaseFilter

    @extend_schema(
        summary="登记党费基数（自某月起；同月再登记即更正）",
        request=s.DuesBaseWriteSerializer,
        responses={201: s.DuesBaseSerializer, **ERRORS},
    )
    def create(self, request):
        data = _valid(s.DuesBaseWriteSerializer, request)
        base = services.record_base(actor=request.user, member=data.pop("member"), **data)
        return Response(s.DuesBaseSerializer(base).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="党费交纳记录"), retrieve=extend_schema(summary="交纳记录详情")
)
class PaymentViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Payment.objects.order_by("-month", "-id")
    serializer_class = s.DuesPaymentSerializer
    filterset_class = filters.PaymentFilter

    @extend_schema(
        summary="登记按月/按季度交纳（金额须与应交相符；已交月份拒绝）",
        request=s.DuesPaymentWriteSerializer,
        responses={201: s.DuesPaymentSerializer(many=True), **ERRORS},
    )
    def create(self, request):
        data = _valid(s.DuesPaymentWriteSerializer, request)
        rows = services.record_payment(
            actor=request.user, member=data.pop("member"), months_paid=data.pop("months"), **data
        )
        return Response(s.DuesPaymentSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记自愿多交党费（1000元以上标记为全部上缴中央）",
        request=s.DuesVoluntaryWriteSerializer,
        responses={201: s.DuesPaymentSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def voluntary(self, request):
        data = _valid(s.DuesVoluntaryWriteSerializer, request)
        payment = services.record_voluntary(actor=request.user, member=data.pop("member"), **data)
        return Response(s.DuesPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="党费账户（起交月份、连续交至）"),
    retrieve=extend_schema(summary="党费账户详情"),
)
class AccountViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = DuesAccount.objects.select_related("member").order_by("member_id")
    serializer_class = s.DuesAccountSerializer
    filterset_class = filters.AccountFilter


class ArrearsView(APIView):
    @extend_schema(
        operation_id="dues_arrears_list",
        summary="欠交名单（截至某月仍有未交月份的党员）",
        parameters=[ORG, MONTH],
        responses={200: s.DuesArrearsSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        org = org_in_scope(request.user, request.GET.get("org"), default_to_scope=True)
        month = months.from_request(request, default=months.shift(services.today(), -1))
        accounts = DuesAccount.objects.visible_to(request.user).filter(member__org_path__startswith=org.path)
        rows = [
            selectors.arrears_row(account, month, services.today())
            for account in selectors.arrears(accounts, month)[:2000]
        ]
        return Response(
            s.DuesArrearsSerializer(
                [
                    {
                        "member": row.account.member_id,
                        "member_name": row.account.member.name,
                        "organisation_name": row.account.member.organisation.name,
                        "monthly_amount": row.account.amount_now,
                        "paid_up_to": row.account.paid_through,
                        "oldest_unpaid": row.oldest_unpaid,
                        "months_owed": row.months_owed,
                        "over_six_months": row.is_old,
                    }
                    for row in rows
                ],
                many=True,
            ).data
        )


def _org_fields(row) -> dict:
    return {
        "organisation": row["org"].pk if row["org"] else None,
        "organisation_name": row["org"].name if row["org"] else "",
    }


class RatesView(APIView):
    @extend_schema(
        operation_id="dues_rates_list",
        summary="党费收缴率（按下一级党组织汇总）",
        parameters=[ORG, MONTH],
        responses={200: s.DuesRateSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        org = org_in_scope(request.user, request.GET.get("org"), default_to_scope=True)
        month = months.from_request(request, default=months.shift(services.today(), -1))
        rows = selectors.collection_rates(org, month)
        return Response(s.DuesRateSerializer([row | _org_fields(row) for row in rows], many=True).data)


class RemittanceView(APIView):
    @extend_schema(
        operation_id="dues_remittance_list",
        summary="党费上缴汇总（按下一级党组织和收取月份）",
        parameters=[
            ORG,
            OpenApiParameter("from", str, description="起始月份"),
            OpenApiParameter("to", str, description="截止月份，默认本月"),
        ],
        responses={200: s.DuesRemittanceSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        org = org_in_scope(request.user, request.GET.get("org"), default_to_scope=True)
        last = months.from_request(request, "to")
        first = months.from_request(request, "from", default=months.shift(last, -2))
        rows = selectors.remittance(org, first, last)
        return Response(s.DuesRemittanceSerializer([row | _org_fields(row) for row in rows], many=True).data)


@extend_schema_view(
    list=extend_schema(summary="党费减免申请"), retrieve=extend_schema(summary="减免申请详情")
)
class ReductionViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = HardshipReduction.objects.order_by("-created_at")
    serializer_class = s.DuesReductionSerializer
    filterset_class = filters.ReductionFilter

    @extend_schema(
        summary="提出党费减免（须支部同意、上级批准）",
        request=s.DuesReductionWriteSerializer,
        responses={201: s.DuesReductionSerializer, **ERRORS},
    )
    def create(self, request):
        data = _valid(s.DuesReductionWriteSerializer, request)
        reduction = services.propose_reduction(actor=request.user, member=data.pop("member"), **data)
        return Response(s.DuesReductionSerializer(reduction).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="支部同意（第一次签署）", request=None, responses={200: s.DuesReductionSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        reduction = services.agree_reduction(actor=request.user, reduction=self.get_object())
        return Response(s.DuesReductionSerializer(reduction).data)

    @extend_schema(
        summary="上级党委批准或不批准（第二次签署，须为另一人）",
        request=s.DuesDecisionSerializer,
        responses={200: s.DuesReductionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        reduction = self.get_object()
        data = _valid(s.DuesDecisionSerializer, request)
        reduction = services.decide_reduction(actor=request.user, reduction=reduction, **data)
        return Response(s.DuesReductionSerializer(reduction).data)


@extend_schema_view(
    list=extend_schema(summary="待决定的处置建议（不交党费、失联、停止党籍满2年）"),
    retrieve=extend_schema(summary="处置建议详情"),
)
class SuggestionViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Suggestion.objects.select_related("member").order_by("since", "id")
    serializer_class = s.DuesSuggestionSerializer
    filterset_class = filters.SuggestionFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.filter(status="open") if self.action == "list" else queryset

    @extend_schema(
        summary="采纳（通过党员状态记录服务改变状态，记入审计）",
        request=s.DuesSuggestionDecisionSerializer,
        responses={200: s.DuesSuggestionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        suggestion = self.get_object()
        data = _valid(s.DuesSuggestionDecisionSerializer, request)
        suggestion = services.accept_suggestion(actor=request.user, suggestion=suggestion, **data)
        return Response(s.DuesSuggestionSerializer(suggestion).data)

    @extend_schema(
        summary="不予采纳（须说明理由）",
        request=s.DuesSuggestionDecisionSerializer,
        responses={200: s.DuesSuggestionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        suggestion = self.get_object()
        data = _valid(s.DuesSuggestionDecisionSerializer, request)
        suggestion = services.dismiss_suggestion(
            actor=request.user, suggestion=suggestion, reason=data["reason"]
        )
        return Response(s.DuesSuggestionSerializer(suggestion).data)

    @extend_schema(
        summary="重新计算处置建议（org= 的下级范围）",
        request=None,
        parameters=[ORG],
        responses={200: s.DuesComputeResultSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def compute(self, request):
        org = org_in_scope(request.user, request.GET.get("org"), Action.CHANGE, default_to_scope=True)
        result = services.compute_suggestions(actor=request.user, root_path=org.path)
        return Response(s.DuesComputeResultSerializer(result).data)


class OnlineStartView(APIView):
    @extend_schema(
        operation_id="dues_online_start",
        summary="在线交纳：创建支付订单（未开通在线交纳时拒绝；不写入任何交纳记录）",
        request=s.DuesOnlineStartSerializer,
        responses={201: s.DuesOrderSerializer, **ERRORS},
    )
    def post(self, request):
        data = _valid(s.DuesOnlineStartSerializer, request)
        order = services.start_online_payment(
            actor=request.user, member=data["member"], months_paid=data["months"]
        )
        return Response(s.DuesOrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OnlineConfirmView(APIView):
    @extend_schema(
        operation_id="dues_online_confirm",
        summary="在线交纳：向支付平台核实订单（平台签名确认已支付才登记，每个订单只登记一次）",
        request=s.DuesOnlineConfirmSerializer,
        responses={200: s.DuesOrderSerializer, **ERRORS},
    )
    def post(self, request):
        data = _valid(s.DuesOnlineConfirmSerializer, request)
        order = services.confirm_online_payment(actor=request.user, reference=data["reference"])
        return Response(s.DuesOrderSerializer(order).data)
