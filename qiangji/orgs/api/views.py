"""REST API for organisations (/api/v1/organisations/): scoped list and detail, create through the service."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, org_in_scope
from qiangji.orgs import search, selectors, services
from qiangji.orgs.api.serializers import (
    OrganisationCreateSerializer,
    OrganisationSearchQuerySerializer,
    OrganisationSearchSerializer,
    OrganisationSerializer,
)
from qiangji.orgs.filters import OrganisationFilterSet
from qiangji.orgs.models import Organisation

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 404)}


@extend_schema_view(
    list=extend_schema(
        summary="党组织列表",
        description="仅含您可查看的组织；ancestor 参数包含该组织的全部下级。",
        responses={200: OrganisationSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
    ),
    retrieve=extend_schema(summary="党组织详情", responses={200: OrganisationSerializer, **ERRORS}),
)
class OrganisationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["parents"] = getattr(self, "_parents", {})
        return context

    def paginate_queryset(self, queryset):
        """Parent ids for the page in one query rather than one per row."""
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        self._parents = selectors.parent_ids(rows)
        return page

    def retrieve(self, request, *args, **kwargs):
        org = self.get_object()
        self._parents = selectors.parent_ids([org]) if org.depth > 1 else {}
        return Response(self.get_serializer(org).data)

    @extend_schema(
        summary="新建下级组织",
        request=OrganisationCreateSerializer,
        responses={201: OrganisationSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        incoming = OrganisationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = dict(incoming.validated_data)
        parent = get_in_scope_or_404(Organisation, request.user, fields.pop("parent"), Action.MANAGE_TREE)
        org = services.create_organisation(actor=request.user, parent=parent, **fields)
        self._parents = {org.path[: -org.steplen]: parent.pk}
        return Response(self.get_serializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="按名称或拼音查找党组织",
        description="名称、名称的一部分、全拼或首字母；仅在您有该权限（action）的范围内，至多20个，"
        "名称完全相同或以其开头的在前。",
        parameters=[OrganisationSearchQuerySerializer],
        responses={200: OrganisationSearchSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="search", pagination_class=None, filterset_class=None)
    def search(self, request, *args, **kwargs):
        incoming = OrganisationSearchQuerySerializer(data=request.query_params.dict())
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        within = org_in_scope(request.user, data["within"], data["action"]) if data.get("within") else None
        orgs = search.search_organisations(
            request.user,
            data["q"],
            data["action"],
            within=within,
            active_only=not data["include_dissolved"],
        )
        return Response({"results": search.as_results(orgs)})
