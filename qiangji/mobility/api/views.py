"""REST API of the mobility app (/api/v1/mobility/): thin; every rule is in `services`."""

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.members.models import Member
from qiangji.mobility import selectors, services, signing
from qiangji.mobility.api.serializers import (
    AnchorSerializer,
    AnchorWriteSerializer,
    ArriveSerializer,
    BranchRef,
    CertificateSerializer,
    DecisionSerializer,
    DestinationSerializer,
    EndFlowSerializer,
    FlowCreateSerializer,
    FlowSerializer,
    HoursCreateSerializer,
    HoursSerializer,
    IncomingLetterSerializer,
    InflowSerializer,
    MemberRef,
    ReasonSerializer,
    ReceiptSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    RevokeSerializer,
    SuggestionSerializer,
    TokenSerializer,
    TransferCreateSerializer,
    TransferSerializer,
)
from qiangji.mobility.choices import CertificateStatus
from qiangji.mobility.filters import FlowFilter, TransferFilter
from qiangji.mobility.models import (
    Certificate,
    CommunityReport,
    DualAnchor,
    MobileFlow,
    Transfer,
    VolunteerHours,
)

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}


def _member(request, pk) -> Member:
    """The member an action is about, read through the user's CHANGE scope (404 outside it); the service
    locks the row again inside its own transaction."""
    return get_in_scope_or_404(Member, request.user, pk, Action.CHANGE)


@extend_schema_view(
    list=extend_schema(
        summary="组织关系转接列表（转出方与接收方都能看到）", responses={200: TransferSerializer, **ERRORS}
    ),
    retrieve=extend_schema(summary="转接详情", responses={200: TransferSerializer, **ERRORS}),
)
class TransferViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Transfer.objects.select_related("from_org", "to_org", "to_branch")
    serializer_class = TransferSerializer
    filterset_class = TransferFilter

    def _answer(self, transfer, code=status.HTTP_200_OK):
        return Response(TransferSerializer(transfer).data, status=code)

    @extend_schema(
        summary="开具介绍信（to_org 为平台内接收党委；否则填 to_org_name 开具纸质介绍信）",
        request=TransferCreateSerializer,
        responses={201: TransferSerializer, **ERRORS},
    )
    def create(self, request):
        data = _valid(TransferCreateSerializer, request)
        member = _member(request, data.pop("member"))
        return self._answer(
            services.issue_transfer(actor=request.user, member=member, **data), status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="接收组织关系并编入党支部（仅接收党委）",
        request=BranchRef,
        responses={200: TransferSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        transfer = self.get_object()  # first: a foreign id is a 404 whatever the body says
        branch = _valid(BranchRef, request)["branch"]
        return self._answer(services.accept_transfer(actor=request.user, transfer=transfer, branch=branch))

    @extend_schema(
        summary="退回介绍信（仅接收党委，须写明原因）",
        request=ReasonSerializer,
        responses={200: TransferSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_letter(self, request, pk=None):
        transfer = self.get_object()
        reason = _valid(ReasonSerializer, request)["reason"]
        return self._answer(services.return_transfer(actor=request.user, transfer=transfer, reason=reason))

    @extend_schema(
        summary="登记平台外介绍信的回执（仅转出方）",
        request=ReceiptSerializer,
        responses={200: TransferSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def receipt(self, request, pk=None):
        transfer = self.get_object()
        day = _valid(ReceiptSerializer, request).get("returned_on")
        return self._answer(services.record_receipt(actor=request.user, transfer=transfer, returned_on=day))


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary="流动党员（流出地与流入地党组织都能看到，流入地只看到在本组织登记的）",
        responses={200: FlowSerializer, **ERRORS},
    ),
    retrieve=extend_schema(summary="流动党员登记详情", responses={200: FlowSerializer, **ERRORS}),
)
class FlowViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = MobileFlow.objects.select_related("member", "out_org", "in_org")
    serializer_class = FlowSerializer
    filterset_class = FlowFilter

    def _answer(self, flow, code=status.HTTP_200_OK):
        return Response(FlowSerializer(flow).data, status=code)

    @extend_schema(
        summary="流出地登记党员外出", request=FlowCreateSerializer, responses={201: FlowSerializer, **ERRORS}
    )
    def create(self, request):
        data = _valid(FlowCreateSerializer, request)
        member, in_org = _member(request, data.pop("member")), data.pop("in_org", None)
        flow = services.register_outflow(actor=request.user, member=member, values=data, in_org=in_org)
        return self._answer(flow, status.HTTP_201_CREATED)

    @extend_schema(summary="流入地确认接收", request=None, responses={200: FlowSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(services.accept_inflow(actor=request.user, flow=self.get_object()))

    @extend_schema(
        summary="流入地不予接收（须写明原因）",
        request=ReasonSerializer,
        responses={200: FlowSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        flow = self.get_object()
        reason = _valid(ReasonSerializer, request)["reason"]
        return self._answer(services.decline_inflow(actor=request.user, flow=flow, reason=reason))

    @extend_schema(
        summary="登记返回，流动结束（有效活动证随之注销）",
        request=EndFlowSerializer,
        responses={200: FlowSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        flow = self.get_object()
        data = _valid(EndFlowSerializer, request)
        return self._answer(services.end_flow(actor=request.user, flow=flow, **data))

    @extend_schema(
        summary="按流向统计（未返回的）", responses={200: DestinationSerializer(many=True), **ERRORS}
    )
    @action(detail=False, methods=["get"], url_path="by-destination", pagination_class=None)
    def by_destination(self, request):
        return Response(DestinationSerializer(selectors.by_destination(request.user), many=True).data)

    @extend_schema(
        summary="建议组建（临时）党支部：同一流入单位或地点有3名以上正式党员且无党支部",
        responses={200: SuggestionSerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def suggestions(self, request):
        return Response(SuggestionSerializer(selectors.branch_suggestions(request.user), many=True).data)


VERIFY_RESULT = inline_serializer(
    "CertificateVerification",
    {
        "valid": serializers.BooleanField(),
        "detail": serializers.CharField(),
        "payload": serializers.DictField(required=False),
        "status": serializers.CharField(required=False),
    },
)


@extend_schema_view(
    list=extend_schema(summary="活动证列表", responses={200: CertificateSerializer, **ERRORS}),
    retrieve=extend_schema(
        summary="活动证详情（含签名凭证）", responses={200: CertificateSerializer, **ERRORS}
    ),
)
class CertificateViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Certificate.objects.select_related("member")
    serializer_class = CertificateSerializer

    def _answer(self, cert, code=status.HTTP_200_OK):
        return Response(CertificateSerializer(cert).data, status=code)

    @extend_schema(
        summary="发放活动证（编号取自县委组织部序列）",
        request=MemberRef,
        responses={201: CertificateSerializer, **ERRORS},
    )
    def create(self, request):
        member = _member(request, _valid(MemberRef, request)["member"])
        return self._answer(
            services.issue_certificate(actor=request.user, member=member), status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="年度查验（延续一年并重新签名）",
        request=None,
        responses={200: CertificateSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return self._answer(services.check_certificate(actor=request.user, cert=self.get_object()))

    @extend_schema(
        summary="注销活动证（遗失、返回、转接）",
        request=RevokeSerializer,
        responses={200: CertificateSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        cert = self.get_object()
        reason = _valid(RevokeSerializer, request)["reason"]
        return self._answer(services.revoke_certificate(actor=request.user, cert=cert, reason=reason))

    @extend_schema(
        summary="核验活动证凭证（签名、有效期与注销状态）",
        request=TokenSerializer,
        responses={200: VERIFY_RESULT, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def verify(self, request):
        token = _valid(TokenSerializer, request)["token"]
        try:
            payload = signing.verify_token(token).payload
        except signing.TokenInvalid as error:
            return Response({"valid": False, "detail": str(error)})
        state = selectors.certificate_status(payload.get("n", ""))
        on = today().isoformat()
        valid = state["status"] == CertificateStatus.ACTIVE and payload["iss"] <= on <= payload["exp"]
        detail = (
            "有效"
            if valid
            else (
                "活动证已注销，请勿认可"
                if state["status"] == CertificateStatus.REVOKED
                else "不在有效期内或平台无此编号，请勿认可"
            )
        )
        return Response({"valid": valid, "detail": detail, "payload": payload, "status": state["status"]})


STATUS_RESULT = inline_serializer(
    "CertificateStatus",
    {
        "number": serializers.CharField(),
        "status": serializers.ChoiceField(choices=["active", "revoked", "unknown"]),
        "reason_label": serializers.CharField(),
        "revoked_on": serializers.DateField(allow_null=True),
        "valid_until": serializers.DateField(allow_null=True),
    },
)


class CertificateStatusView(APIView):
    """Public revocation status by number (like an OCSP answer): no name, no organisation, nothing else,
    so that any inflow branch anywhere can check a card it has verified offline."""

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)

    @extend_schema(
        operation_id="mobility_certificate_status",
        tags=["mobility"],
        auth=[],
        summary="活动证注销状态（公开，不含个人信息）",
        responses={200: STATUS_RESULT},
    )
    def get(self, request, number: str):
        return Response(selectors.certificate_status(number[:30]))


@extend_schema_view(
    list=extend_schema(
        summary="双重隶属（党支部一方与第二隶属组织一方都能看到）",
        responses={200: AnchorSerializer, **ERRORS},
    ),
    retrieve=extend_schema(summary="双重隶属详情", responses={200: AnchorSerializer, **ERRORS}),
    destroy=extend_schema(summary="解除双重隶属", responses={204: None, **ERRORS}),
)
class AnchorViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = DualAnchor.objects.select_related("branch", "second_org")
    serializer_class = AnchorSerializer

    @extend_schema(
        summary="建立双重隶属", request=AnchorWriteSerializer, responses={201: AnchorSerializer, **ERRORS}
    )
    def create(self, request):
        data = _valid(AnchorWriteSerializer, request)
        # Any organisation of the platform (the second line is outside the branch's subtree): the service
        # reads it and refuses an unknown or dissolved one.
        anchor = services.anchor_branch(
            actor=request.user,
            branch=data["branch"],
            second_org=data["second_org"],
            second_kind=data["second_kind"],
            note=data.get("note", ""),
        )
        return Response(AnchorSerializer(anchor).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.remove_anchor(actor=self.request.user, anchor=instance)


@extend_schema_view(
    list=extend_schema(
        summary="志愿服务时长（报到社区、党员所在党支部与本人可见）",
        responses={200: HoursSerializer, **ERRORS},
    ),
    retrieve=extend_schema(summary="志愿服务时长详情", responses={200: HoursSerializer, **ERRORS}),
)
class HoursViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = VolunteerHours.objects.select_related("report__member", "report__community")
    serializer_class = HoursSerializer

    @extend_schema(
        summary="社区确认志愿服务时长", request=DecisionSerializer, responses={200: HoursSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        entry = self.get_object()
        confirm = _valid(DecisionSerializer, request)["confirm"]
        entry = services.decide_hours(actor=request.user, entry=entry, confirm=confirm)
        return Response(HoursSerializer(entry).data)


class IntakeViewSet(viewsets.GenericViewSet):
    """Registrations that start outside the user's records: a paper letter from outside, a member who
    arrived at the inflow branch, a poster-code arrival by the member."""

    permission_classes = (permissions.IsAuthenticated,)
    serializer_class = TransferSerializer

    @extend_schema(
        summary="登记平台外转入的纸质介绍信（过期的拒收）",
        request=IncomingLetterSerializer,
        responses={201: TransferSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="incoming-letters")
    def incoming_letter(self, request):
        transfer = services.register_incoming_letter(
            actor=request.user, **_valid(IncomingLetterSerializer, request)
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="流入地党支部按姓名和公民身份证号登记流动党员",
        request=InflowSerializer,
        responses={201: FlowSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def inflow(self, request):
        data = _valid(InflowSerializer, request)
        branch, name, number = data.pop("in_org"), data.pop("name"), data.pop("id_number")
        flow = services.register_inflow(
            actor=request.user, branch=branch, id_number=number, name=name, values=data
        )
        return Response(FlowSerializer(flow).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="党员本人扫码报到（待流入地党支部确认）",
        request=ArriveSerializer,
        responses={201: FlowSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def arrive(self, request):
        data = _valid(ArriveSerializer, request)
        branch = signing.arrive_branch_pk(data.pop("token"))
        if branch is None:
            return Response({"code": "invalid", "detail": "报到码无效，请向流入地党支部索取"}, status=400)
        flow = services.self_register_arrival(actor=request.user, branch=branch, values=data)
        return Response(FlowSerializer(flow).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="到社区报到记录（社区、党员所在党支部与本人可见）",
        responses={200: ReportSerializer, **ERRORS},
    ),
    retrieve=extend_schema(summary="报到记录详情", responses={200: ReportSerializer, **ERRORS}),
)
class ReportViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ReportSerializer
    write_action = "view"  # the member records their own; the service decides who may write

    queryset = CommunityReport.objects.select_related("member", "community").prefetch_related("posts")

    @extend_schema(
        summary="在职党员到居住地社区报到",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, **ERRORS},
    )
    def create(self, request):
        data = _valid(ReportCreateSerializer, request)
        member = data.get("member") or next(iter(scope_of(request.user).member_ids), None)
        report = services.register_with_community(
            actor=request.user, member=member, community=data["community"], post_ids=data.get("posts", [])
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记志愿服务时长（待社区确认）",
        request=HoursCreateSerializer,
        responses={201: HoursSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def hours(self, request, pk=None):
        report = self.get_object()
        entry = services.record_hours(
            actor=request.user, report=report, **_valid(HoursCreateSerializer, request)
        )
        return Response(HoursSerializer(entry).data, status=status.HTTP_201_CREATED)
