"""API of the admission-form number ranges (入党志愿书编号段): the ranges in the user's subtree and the
committee that registers one (only an organisation that may issue the numbers: `signoffs.may_sign`,
《中国共产党发展党员工作细则》第二十条).  Mounted under /api/v1/recruitment/form-ranges/ by `api.urls`."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.scoping import org_in_scope
from qiangji.recruitment import services
from qiangji.recruitment.api.serializers import FormRangeInputSerializer, FormRangeSerializer
from qiangji.recruitment.api.views.cases import RULE_ERROR, RuleViolationMixin
from qiangji.recruitment.models import AdmissionFormRange

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        summary="入党志愿书编号段（本人管理范围内）",
        responses={200: FormRangeSerializer, **ERRORS},
        parameters=[OpenApiParameter("org", int, description="党组织编号，含其全部下级")],
    ),
    create=extend_schema(
        summary="登记入党志愿书编号段（具有审批权限的基层党委或县级党委组织部门）",
        request=FormRangeInputSerializer,
        responses={201: FormRangeSerializer, **ERRORS, **RULE_ERROR},
    ),
)
class FormRangeViewSet(
    RuleViolationMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = AdmissionFormRange  # read through the user's scope by ScopedViewSetMixin
    serializer_class = FormRangeSerializer

    def get_queryset(self):
        queryset = (
            super().get_queryset().select_related("organisation").order_by("org_path", "received_on", "id")
        )
        org = org_in_scope(self.request.user, self.request.query_params.get("org"))
        return queryset.filter(org_path__startswith=org.path) if org is not None else queryset

    def create(self, request, *args, **kwargs):
        serializer = FormRangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form_range = services.add_form_range(actor=request.user, **serializer.validated_data)
        return Response(FormRangeSerializer(form_range).data, status=status.HTTP_201_CREATED)
