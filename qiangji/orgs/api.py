"""REST API for organisations (/api/v1/organisations/): scoped list and detail, create through the service."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.orgs import services
from qiangji.orgs.filters import OrganisationFilterSet
from qiangji.orgs.models import Organisation
from qiangji.orgs.services.tree import EDITABLE_FIELDS

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 404)}


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField(help_text="上级组织编号（根节点为空）")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ("id", "parent", "path", "depth", *EDITABLE_FIELDS, "kind_display", "dissolved_on",
                  "dissolved_reason", "merged_into", "updated_at")
        read_only_fields = fields

    def get_parent(self, obj) -> int | None:
        parents = self.context.get("parents", {})
        return parents.get(obj.path[: -obj.steplen]) if obj.depth > 1 else None


class OrganisationCreateSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(help_text="上级组织编号；须在您的组织架构管理范围内")

    class Meta:
        model = Organisation
        fields = ("parent", *EDITABLE_FIELDS)
        extra_kwargs = {"code": {"required": False, "validators": []}, "region_code": {"read_only": True}}

    def validate(self, attrs):
        return attrs  # the service validates (same rules and messages as the form)


@extend_schema_view(
    list=extend_schema(summary="党组织列表", description="仅含您可查看的组织；ancestor 参数包含该组织的全部下级。",
                       responses={200: OrganisationSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]}),
    retrieve=extend_schema(summary="党组织详情", responses={200: OrganisationSerializer, **ERRORS}),
)
class OrganisationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Organisation.objects.all()
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
        parent_paths = {org.path[: -org.steplen] for org in rows if org.depth > 1}
        self._parents = dict(Organisation.objects.filter(path__in=parent_paths).values_list("path", "pk"))
        return page

    def retrieve(self, request, *args, **kwargs):
        org = self.get_object()
        parent = Organisation.objects.filter(path=org.path[: -org.steplen]).values_list("path", "pk")
        self._parents = dict(parent) if org.depth > 1 else {}
        return Response(self.get_serializer(org).data)

    @extend_schema(summary="新建下级组织", request=OrganisationCreateSerializer,
                   responses={201: OrganisationSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        incoming = OrganisationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = dict(incoming.validated_data)
        parent = Organisation.objects.visible_to(request.user, Action.MANAGE_TREE).filter(pk=fields.pop("parent"))
        if not parent.exists():
            raise Http404
        org = services.create_organisation(actor=request.user, parent=parent.get(), **fields)
        self._parents = {org.path[: -org.steplen]: parent.get().pk}
        return Response(self.get_serializer(org).data, status=status.HTTP_201_CREATED)
