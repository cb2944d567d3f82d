"""REST API of the request desk (/api/v1/service/): Open311 GeoReport v2 with the request-update extension
(JSON and XML), and the units' own operations on the ladder. Thin: every rule is in `services`."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.dates import today
from qiangji.service import selectors, services
from qiangji.service.api.renderers import Open311XMLRenderer
from qiangji.service.api.serializers import (
    ClaimSerializer,
    DeskReasonSerializer,
    DiscoverySerializer,
    FiguresSerializer,
    Open311CreatedSerializer,
    Open311CreateSerializer,
    Open311RequestSerializer,
    Open311UpdateSerializer,
    RequestDetailSerializer,
    RequestSerializer,
    ServiceDefinitionSerializer,
    ServiceSerializer,
    TextSerializer,
    TokenAnswerSerializer,
)
from qiangji.service.choices import Channel, Status
from qiangji.service.filters import RequestFilter
from qiangji.service.models import Request

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}
PUBLIC_ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 404)}
OPEN311_MAX = 1000  # Open311 lets the server cap a list; the newest 1000 within the dates


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class Open311View(APIView):
    renderer_classes = [JSONRenderer, Open311XMLRenderer]
    xml_root = "response"
    xml_item = "item"

    def finalize_response(self, request, response, *args, **kwargs):
        """Errors in the platform's one JSON shape ({code, detail, fields}) whatever the format asked."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response


@extend_schema_view(
    get=extend_schema(
        operation_id="service_open311_discovery",
        summary="Open311 发现文档（GeoReport v2）",
        responses={200: DiscoverySerializer},
    )
)
class DiscoveryView(Open311View):
    permission_classes = [permissions.AllowAny]
    xml_root, xml_item = "discovery", ""

    def get(self, request, format=None):
        base = request.build_absolute_uri("/api/v1/service/open311/")
        return Response(
            {
                "changeset": "2026-12-04T00:00:00Z",
                "contact": "接诉即办平台管理员",
                "key_service": "API 令牌：/api/v1/auth/token/",
                "endpoints": [
                    {
                        "specification": "http://wiki.open311.org/GeoReport_v2",
                        "url": base,
                        "changeset": "2026-12-04T00:00:00Z",
                        "type": "production",
                        "formats": ["application/json", "text/xml"],
                    }
                ],
            }
        )


def _service(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{category.description or category.name}（时限{category.limit_text}）",
        "metadata": bool(category.required_fields),
        "type": "realtime",
        "keywords": category.group,
        "group": category.group,
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="service_open311_services",
        summary="Open311 诉求类别（services）",
        responses={200: ServiceSerializer(many=True)},
    )
)
class ServiceListView(Open311View):
    permission_classes = [permissions.AllowAny]
    xml_root, xml_item = "services", "service"

    def get(self, request, format=None):
        return Response([_service(c) for c in selectors.categories()])


ATTRIBUTES = {
    "address": ("address_string", "具体地点", "string"),
    "location": ("lat", "位置（纬度、经度）", "number"),
    "photo": ("media", "照片", "string"),
}


@extend_schema_view(
    get=extend_schema(
        operation_id="service_open311_service_definition",
        summary="Open311 类别定义（必填项）",
        responses={200: ServiceDefinitionSerializer, **PUBLIC_ERRORS},
    )
)
class ServiceDefinitionView(Open311View):
    permission_classes = [permissions.AllowAny]
    xml_root, xml_item = "service_definition", ""

    def get(self, request, service_code, format=None):
        category = selectors.categories().filter(code=service_code[:40]).first()
        if category is None:
            raise Http404
        attributes = [
            {
                "variable": True,
                "code": ATTRIBUTES[name][0],
                "datatype": ATTRIBUTES[name][2],
                "required": True,
                "datatype_description": ATTRIBUTES[name][1],
                "order": order,
                "description": ATTRIBUTES[name][1],
                "values": [],
            }
            for order, name in enumerate(category.required_fields or [], start=1)
            if name in ATTRIBUTES
        ]
        return Response({"service_code": category.code, "attributes": attributes})


class Open311QuerySerializer(serializers.Serializer):
    service_request_id = serializers.CharField(max_length=1000, required=False)
    service_code = serializers.SlugField(max_length=40, required=False)
    start_date = serializers.DateTimeField(required=False)
    end_date = serializers.DateTimeField(required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)


QUERY = [
    OpenApiParameter("service_request_id", str, description="逗号分隔的诉求编号（最多50个）"),
    OpenApiParameter("service_code", str),
    OpenApiParameter("start_date", {"type": "string", "format": "date-time"}),
    OpenApiParameter("end_date", {"type": "string", "format": "date-time"}),
    OpenApiParameter("status", str, enum=list(Status.values)),
]


@extend_schema_view(
    get=extend_schema(
        operation_id="service_open311_requests_list",
        summary="Open311 查询诉求（本人管辖范围内，最多1000条）",
        parameters=QUERY,
        responses={200: Open311RequestSerializer(many=True), **ERRORS},
    ),
    post=extend_schema(
        operation_id="service_open311_requests_create",
        summary="Open311 提交诉求（接入系统账号，地点须在其管辖范围内）",
        request=Open311CreateSerializer,
        responses={201: Open311CreatedSerializer(many=True), **ERRORS},
    ),
)
class RequestsView(Open311View):
    xml_root, xml_item = "service_requests", "request"

    def get(self, request, format=None):
        query = _valid(Open311QuerySerializer, request.query_params)
        rows = selectors.requests_for(request.user)
        if query.get("service_request_id"):
            numbers = [n.strip().upper() for n in query["service_request_id"].split(",") if n.strip()][:50]
            rows = rows.filter(number__in=numbers)
        if query.get("service_code"):
            rows = rows.filter(category__code=query["service_code"])
        if query.get("start_date"):
            rows = rows.filter(created_at__gte=query["start_date"])
        if query.get("end_date"):
            rows = rows.filter(created_at__lte=query["end_date"])
        if query.get("status"):
            rows = rows.filter(status=query["status"])
        return Response(Open311RequestSerializer(rows.order_by("-created_at")[:OPEN311_MAX], many=True).data)

    def post(self, request, format=None):
        data = _valid(Open311CreateSerializer, request.data)
        name = f"{data.get('last_name', '')}{data.get('first_name', '')}"
        created, _code = services.submit(
            actor=request.user,
            channel=Channel.OPEN311,
            category=data["service_code"],
            description=data["description"],
            phone=data["phone"],
            requester_name=name,
            audience=data.get("audience") or "resident",
            address=data.get("address_string", ""),
            place=data.get("address_id"),
            community=data.get("community_id"),
            latitude=data.get("lat"),
            longitude=data.get("long"),
        )
        answer = {
            "service_request_id": created.number,
            "token": created.token,
            "service_notice": f"已派至{created.current_org.name}，时限{created.category.limit_text}",
            "account_id": None,
        }
        return Response([answer], status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        operation_id="service_open311_request",
        summary="Open311 单个诉求",
        responses={200: Open311RequestSerializer(many=True), **ERRORS},
    )
)
class RequestDetailView(Open311View):
    xml_root, xml_item = "service_requests", "request"

    def get(self, request, number, format=None):
        found = selectors.requests_for(request.user).filter(number=number.upper()[:20]).first()
        if found is None:
            raise Http404
        return Response(Open311RequestSerializer([found], many=True).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="service_open311_token",
        summary="Open311 由受理凭证查诉求编号",
        responses={200: TokenAnswerSerializer(many=True), **ERRORS},
    )
)
class TokenView(Open311View):
    xml_root, xml_item = "service_requests", "request"

    def get(self, request, token, format=None):
        found = selectors.requests_for(request.user).filter(token=token[:32]).first()
        if found is None:
            raise Http404
        return Response([{"service_request_id": found.number, "token": found.token}])


class UpdatesQuerySerializer(serializers.Serializer):
    start_date = serializers.DateTimeField(required=False)
    end_date = serializers.DateTimeField(required=False)


@extend_schema_view(
    get=extend_schema(
        operation_id="service_open311_request_updates",
        summary="Open311 诉求办理动态（request-update 扩展：某时间以来的更新，最多1000条）",
        parameters=[
            OpenApiParameter("start_date", {"type": "string", "format": "date-time"}),
            OpenApiParameter("end_date", {"type": "string", "format": "date-time"}),
        ],
        responses={200: Open311UpdateSerializer(many=True), **ERRORS},
    )
)
class UpdatesView(Open311View):
    xml_root, xml_item = "service_request_updates", "request_update"

    def get(self, request, format=None):
        query = _valid(UpdatesQuerySerializer, request.query_params)
        rows = selectors.updates_for(request.user, start=query.get("start_date"), end=query.get("end_date"))
        return Response(Open311UpdateSerializer(rows.order_by("at", "id")[:OPEN311_MAX], many=True).data)


# ----- the units' operations ----------------------------------------------------------------------


def _answer(request_row, code=status.HTTP_200_OK):
    return Response(RequestSerializer(request_row).data, status=code)


@extend_schema_view(
    list=extend_schema(
        summary="诉求列表（首办单位一线及当前承办单位）", responses={200: RequestSerializer, **ERRORS}
    ),
    retrieve=extend_schema(summary="诉求详情与办理过程", responses={200: RequestDetailSerializer, **ERRORS}),
)
class DeskRequestViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Request.objects.select_related("category", "first_org", "current_org").order_by(
        "-created_at", "-id"
    )
    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    write_action = "view"  # the services check who may do what (the unit, the member who claimed it)

    def get_serializer_class(self):
        return RequestDetailSerializer if self.action == "retrieve" else RequestSerializer

    def _pk(self):
        return self.get_object().pk  # first: a foreign id is a 404 whatever the body says

    @extend_schema(
        summary="认领（单位、本社区党员；部门从区县/街道池认领）",
        request=ClaimSerializer,
        responses={200: RequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        data = _valid(ClaimSerializer, request.data)
        return _answer(
            services.claim(
                actor=request.user,
                request=pk,
                note=data.get("note", ""),
                department=data.get("department"),
            )
        )

    @extend_schema(
        summary="登记办理进展", request=TextSerializer, responses={200: RequestSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        text = _valid(TextSerializer, request.data)["text"]
        return _answer(services.record_progress(actor=request.user, request=pk, text=text))

    @extend_schema(
        summary="等待诉求人补充（暂停计时）",
        request=TextSerializer,
        responses={200: RequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def wait(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        text = _valid(TextSerializer, request.data)["text"]
        return _answer(services.wait_on_requester(actor=request.user, request=pk, text=text))

    @extend_schema(summary="恢复计时", request=TextSerializer, responses={200: RequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        text = _valid(TextSerializer, request.data)["text"]
        return _answer(services.resume(actor=request.user, request=pk, text=text))

    @extend_schema(
        summary="答复诉求人（以首办单位名义）",
        request=TextSerializer,
        responses={200: RequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        text = _valid(TextSerializer, request.data)["text"]
        return _answer(services.answer(actor=request.user, request=pk, text=text))

    @extend_schema(
        summary="吹哨上报（本级无法解决，写明原因）",
        request=DeskReasonSerializer,
        responses={200: RequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def whistle(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        reason = _valid(DeskReasonSerializer, request.data)["reason"]
        return _answer(services.whistle(actor=request.user, request=pk, reason=reason))

    @extend_schema(
        summary="派单错误退回（收到后2个工作日内）",
        request=DeskReasonSerializer,
        responses={200: RequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        reason = _valid(DeskReasonSerializer, request.data)["reason"]
        return _answer(services.send_back(actor=request.user, request=pk, reason=reason))

    @extend_schema(
        summary="工作人员办结（其他人被拒绝并记录）",
        request=DeskReasonSerializer,
        responses={200: RequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        pk = self._pk()  # first: a foreign id is a 404 whatever the body says
        reason = _valid(DeskReasonSerializer, request.data)["reason"]
        return _answer(services.close_by_staff(actor=request.user, request=pk, reason=reason))


class FiguresQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


@extend_schema_view(
    get=extend_schema(
        summary="办理统计：响应率、解决率、满意率、按期办结率（本人管辖范围）",
        parameters=[
            OpenApiParameter("start", {"type": "string", "format": "date"}),
            OpenApiParameter("end", {"type": "string", "format": "date"}),
        ],
        responses={200: FiguresSerializer, **ERRORS},
    )
)
class FiguresView(APIView):
    def get(self, request):
        query = _valid(FiguresQuerySerializer, request.query_params)
        end = query.get("end") or today()
        start = query.get("start") or end.replace(day=1)
        if start > end:
            raise serializers.ValidationError({"start": ["起始日期不能晚于结束日期"]})
        return Response(selectors.figures(request.user, start=start, end=end))


def suffixed(view_class):
    """The same view at the spec's `.json`/`.xml` path, left out of the OpenAPI (the suffix-less path is
    documented; the format is the `format` path parameter there)."""
    hidden = extend_schema(exclude=True)
    return extend_schema_view(get=hidden, post=hidden)(
        type(f"{view_class.__name__}Suffixed", (view_class,), {})
    )
