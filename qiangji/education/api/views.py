"""REST API of the education app (/api/v1/education/): thin; every rule is in `services`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin, ValidationErrorSerializer, error_response
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.pagination import BoundedLimitOffsetPagination, bounded_int
from qiangji.core.scoping import get_in_scope_or_404, org_in_scope
from qiangji.education import selectors, services
from qiangji.education.api.serializers import (
    CheckAnswerSerializer,
    ClassAttendanceSerializer,
    ClassCheckInSerializer,
    CourseSerializer,
    CoverageRowSerializer,
    HeartbeatSerializer,
    HourEntrySerializer,
    LedgerRowSerializer,
    MemberYearSerializer,
    ProgressSerializer,
    SessionSerializer,
    StartSessionSerializer,
    TrainingClassSerializer,
)
from qiangji.education.filters import HourEntryFilter
from qiangji.education.models import Course, HourEntry, TrainingClass
from qiangji.members.models import Member

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}
REFUSED = {
    **ERRORS,
    409: OpenApiResponse(
        ValidationErrorSerializer,
        description="进度报告未计入：code=replayed / out_of_order / too_fast / superseded / closed / bad_interval",
    ),
}
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="年度（2000–2100，默认本年）")
ORG = OpenApiParameter("org", OpenApiTypes.INT, description="党组织编号（默认本人管理范围的最上级）")


def _year(request) -> int:
    return bounded_int(request.query_params, "year", minimum=2000, maximum=2100, default=today().year)


class SessionViewSet(viewsets.GenericViewSet):
    """Learning sessions of the signed-in member: start, heartbeat, answer a check."""

    serializer_class = SessionSerializer

    @extend_schema(
        summary="开始学习一个章节（本人其他学习会话随即失效）",
        request=StartSessionSerializer,
        responses={201: SessionSerializer, **ERRORS},
    )
    def create(self, request):
        given = StartSessionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        session = services.start_session(actor=request.user, chapter=given.validated_data["chapter"])
        chapter = session.chapter
        body = {
            "token": session.token,
            "chapter": chapter.pk,
            "duration_seconds": chapter.duration_seconds,
            "max_speed": chapter.course.max_speed,
        }
        return Response(SessionSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="报告一段已播放区间（序号递增；超过实际时间×允许倍速、重复、乱序或另一设备的报告均被拒绝，返回409）",
        request=HeartbeatSerializer,
        responses={200: ProgressSerializer, **REFUSED},
    )
    @action(detail=False, methods=["post"])
    def heartbeat(self, request):
        given = HeartbeatSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            progress = services.heartbeat(
                actor=request.user, token=data["token"], seq=data["seq"], start=data["start"], end=data["end"]
            )
        except services.HeartbeatRefused as refused:
            return error_response(
                refused.code,
                refused.message_text,
                http_status=status.HTTP_409_CONFLICT,
                fields={refused.field_name: [refused.message_text]},
            )
        return Response(ProgressSerializer(progress).data)

    @extend_schema(
        summary="回答随学检查（答对后恢复计时）",
        request=CheckAnswerSerializer,
        responses={200: ProgressSerializer, **REFUSED},
    )
    @action(detail=False, methods=["post"])
    def check(self, request):
        given = CheckAnswerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            progress = services.answer_check(
                actor=request.user, token=given.validated_data["token"], code=given.validated_data["code"]
            )
        except services.HeartbeatRefused as refused:
            return error_response(
                refused.code,
                refused.message_text,
                http_status=status.HTTP_409_CONFLICT,
                fields={refused.field_name: [refused.message_text]},
            )
        return Response(ProgressSerializer(progress).data)


class MyYearView(APIView):
    @extend_schema(
        summary="本人的年度学时（按来源、应学、尚缺）",
        parameters=[YEAR],
        responses={200: MemberYearSerializer, **ERRORS},
    )
    def get(self, request):
        member = services.learner_of(request.user)
        return Response(MemberYearSerializer(selectors.member_year(member, _year(request))).data)


class MemberYearView(APIView):
    @extend_schema(
        summary="某党员的年度学时", parameters=[YEAR], responses={200: MemberYearSerializer, **ERRORS}
    )
    def get(self, request, pk: int):
        member = get_in_scope_or_404(Member, request.user, pk, Action.VIEW)
        return Response(MemberYearSerializer(selectors.member_year(member, _year(request))).data)


class LedgerView(APIView):
    pagination_class = BoundedLimitOffsetPagination

    @extend_schema(
        summary="学时台账：管理范围内每名党员的年度学时（半小时为单位）",
        parameters=[YEAR, ORG],
        responses={200: LedgerRowSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        year = _year(request)
        root = org_in_scope(request.user, request.query_params.get("org"), Action.VIEW, default_to_scope=True)
        rows = selectors.ledger_members(request.user, year, root)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(LedgerRowSerializer(page, many=True).data)


class CoverageView(APIView):
    @extend_schema(
        summary="各党组织学时达标情况（党员数、达标、未达标、差额半小时数）",
        parameters=[YEAR, ORG],
        responses={200: CoverageRowSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        year = _year(request)
        root = org_in_scope(request.user, request.query_params.get("org"), Action.VIEW, default_to_scope=True)
        return Response(
            CoverageRowSerializer(selectors.coverage_by_org(request.user, year, root), many=True).data
        )


@extend_schema_view(
    list=extend_schema(summary="学时记录", responses={200: HourEntrySerializer, **ERRORS}),
    retrieve=extend_schema(summary="学时记录详情", responses={200: HourEntrySerializer, **ERRORS}),
)
class HourEntryViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = HourEntry.objects.select_related("member").order_by("-held_on", "-id")
    serializer_class = HourEntrySerializer
    filterset_class = HourEntryFilter


@extend_schema_view(
    list=extend_schema(summary="网络课程（可管理的与可学习的）", responses={200: CourseSerializer, **ERRORS}),
    retrieve=extend_schema(summary="网络课程详情", responses={200: CourseSerializer, **ERRORS}),
)
class CourseViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Course.objects.order_by("-created_at", "-id")
    serializer_class = CourseSerializer


@extend_schema_view(
    list=extend_schema(
        summary="培训班次（本级主办的与上级面向本级的）", responses={200: TrainingClassSerializer, **ERRORS}
    ),
    retrieve=extend_schema(summary="培训班次详情", responses={200: TrainingClassSerializer, **ERRORS}),
)
class TrainingClassViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = TrainingClass.objects.select_related("organisation").order_by("-starts_on", "-id")
    serializer_class = TrainingClassSerializer

    @extend_schema(
        summary="学员扫码签到（二维码中的签名令牌；仅报名学员、仅课次当天）",
        request=ClassCheckInSerializer,
        responses={201: ClassAttendanceSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="checkin")
    def checkin(self, request):
        given = ClassCheckInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        attendance = services.check_in(actor=request.user, token=given.validated_data["token"])
        return Response(ClassAttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)
