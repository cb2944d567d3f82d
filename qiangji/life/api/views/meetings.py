"""Meetings, attendance, checklist evidence, QR codes and check-in (/api/v1/life/meetings/, /checkin/)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.life import services
from qiangji.life.api import serializers as s
from qiangji.life.api.views.base import ERRORS, org_or_404, valid
from qiangji.life.filters import MeetingFilter
from qiangji.life.models import Meeting, MeetingExemption
from qiangji.life.selectors import meetings as reads
from qiangji.members.models import Member


@extend_schema_view(
    list=extend_schema(summary="会议列表", responses={200: s.LifeMeetingSerializer, **ERRORS}),
    retrieve=extend_schema(summary="会议详情", responses={200: s.LifeMeetingSerializer, **ERRORS}),
    create=extend_schema(
        summary="安排会议",
        request=s.LifeMeetingInputSerializer,
        responses={201: s.LifeMeetingSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="修改会议记录",
        request=s.LifeMeetingFieldsSerializer,
        responses={200: s.LifeMeetingSerializer, **ERRORS},
    ),
)
class MeetingViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = Meeting
    serializer_class = s.LifeMeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return super().get_queryset().select_related("meeting_type", "organisation")

    def _answer(self, meeting, code=status.HTTP_200_OK):
        return Response(s.LifeMeetingSerializer(reads.meeting_row(meeting)).data, status=code)

    def create(self, request):
        data = valid(s.LifeMeetingInputSerializer, request.data)
        branch = org_or_404(request, data.pop("organisation"))
        theme_pk = data.pop("theme", None)
        theme = reads.theme_by_id(theme_pk) if theme_pk else None
        if theme_pk and theme is None:
            raise NotFound()
        meeting = services.schedule_meeting(actor=request.user, organisation=branch, theme=theme, **data)
        return self._answer(meeting, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        meeting = self.get_object()  # 404 before any validation of the body
        data = valid(s.LifeMeetingFieldsSerializer, request.data)
        return self._answer(services.update_meeting(actor=request.user, meeting=meeting, **data))

    @extend_schema(
        summary="记录会议已召开（不能是未来日期；支委会须超过半数委员到会）",
        request=s.LifeHeldInputSerializer,
        responses={200: s.LifeMeetingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        meeting = self.get_object()
        data = valid(s.LifeHeldInputSerializer, request.data)
        return self._answer(services.record_held(actor=request.user, meeting=meeting, **data))

    @extend_schema(summary="报送上级党组织", request=None, responses={200: s.LifeMeetingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.submit_meeting(actor=request.user, meeting=self.get_object()))

    @extend_schema(
        summary="审核通过（上级党组织）", request=None, responses={200: s.LifeMeetingSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.approve_meeting(actor=request.user, meeting=self.get_object()))

    @extend_schema(
        summary="退回（上级党组织，须写明理由）",
        request=s.LifeReasonSerializer,
        responses={200: s.LifeMeetingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_record(self, request, pk=None):
        meeting = self.get_object()
        data = valid(s.LifeReasonSerializer, request.data)
        return self._answer(
            services.return_meeting(actor=request.user, meeting=meeting, reason=data.get("reason", ""))
        )

    @extend_schema(
        methods=["GET"], summary="出席情况", responses={200: s.LifeAttendanceSerializer(many=True), **ERRORS}
    )
    @extend_schema(
        methods=["POST"],
        summary="登记一名党员的出席情况（外支部人员须 as_guest）",
        request=s.LifeAttendanceInputSerializer,
        responses={200: s.LifeAttendanceSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        if request.method == "GET":
            rows = reads.api_attendances(meeting)
            return Response(s.LifeAttendanceSerializer(rows, many=True).data)
        data = valid(s.LifeAttendanceInputSerializer, request.data)
        try:
            member = get_in_scope_or_404(Member, request.user, data.pop("member"), Action.VIEW)
        except Http404:
            raise NotFound() from None
        row = services.record_attendance(actor=request.user, meeting=meeting, member=member, **data)
        return Response(s.LifeAttendanceSerializer(row).data)

    @extend_schema(
        summary="登记规定/自选动作完成情况（完成须有佐证，规定动作未完成须有理由）",
        request=s.LifeCompletionInputSerializer,
        responses={200: s.LifeCompletionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def checklist(self, request, pk=None):
        meeting = self.get_object()
        data = valid(s.LifeCompletionInputSerializer, request.data)
        row = services.complete_checklist_item(actor=request.user, meeting=meeting, **data)
        return Response(s.LifeCompletionSerializer(row).data)

    @extend_schema(
        summary="生成签到二维码的令牌",
        request=s.LifeCodeInputSerializer,
        responses={201: s.LifeCheckInCodeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="checkin-code", url_name="checkin-code")
    def checkin_code(self, request, pk=None):
        meeting = self.get_object()
        data = valid(s.LifeCodeInputSerializer, request.data)
        code = services.issue_checkin_code(actor=request.user, meeting=meeting, minutes=data.get("minutes"))
        url = request.build_absolute_uri(reverse("life-checkin")) + f"?token={code.token}"
        return Response(
            {"token": code.token, "expires_at": code.expires_at, "url": url}, status=status.HTTP_201_CREATED
        )


class CheckInView(APIView):
    """A member scans the meeting's QR code: idempotent (a second scan answers 200 with already=true)."""

    @extend_schema(
        summary="扫码签到",
        request=s.LifeCheckInInputSerializer,
        responses={
            201: OpenApiResponse(s.LifeCheckInResultSerializer, description="签到成功"),
            200: OpenApiResponse(s.LifeCheckInResultSerializer, description="已签到（重复扫码）"),
            **ERRORS,
        },
    )
    def post(self, request):
        data = valid(s.LifeCheckInInputSerializer, request.data)
        result = services.check_in(token=data["token"], user=request.user)
        row = result.attendance
        body = {
            "attendance": row.pk,
            "meeting": row.meeting_id,
            "already": result.already,
            "guest": row.is_guest,
            "detail": result.message,
        }
        return Response(body, status=status.HTTP_200_OK if result.already else status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="免于考核记录", responses={200: s.LifeExemptionSerializer, **ERRORS}),
    create=extend_schema(
        summary="批准免于考核（上级党组织，须写明理由）",
        request=s.LifeExemptionInputSerializer,
        responses={201: s.LifeExemptionSerializer, **ERRORS},
    ),
)
class ExemptionViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    model = MeetingExemption
    serializer_class = s.LifeExemptionSerializer

    def create(self, request):
        data = valid(s.LifeExemptionInputSerializer, request.data)
        branch = org_or_404(request, data.pop("organisation"))
        row = services.grant_exemption(
            actor=request.user, organisation=branch, reason=data.pop("reason", ""), **data
        )
        return Response(s.LifeExemptionSerializer(row).data, status=status.HTTP_201_CREATED)
