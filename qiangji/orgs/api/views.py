"""REST API for organisations (/api/v1/organisations/): scoped list and detail, create through the service."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin, error_response
from qiangji.core.choices import Action
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, org_in_scope
from qiangji.orgs import membership, search, selectors, services
from qiangji.orgs.api.serializers import (
    CommitteeSerializer,
    DissolveSerializer,
    ElectionSerializer,
    GrantCreateSerializer,
    GrantSerializer,
    MergeSerializer,
    MoveSerializer,
    OrganisationCreateSerializer,
    OrganisationSearchQuerySerializer,
    OrganisationSearchSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
)
from qiangji.orgs.filters import OrganisationFilterSet
from qiangji.orgs.models import Grant, Organisation

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

    # ----- writes the pages offer (issue #12, build 10): each through its service, scoped -----------------

    def _restructurable(self, request, pk):
        """Move, merge and dissolve are decided one level up (as on the pages): 404 for the node's own managers."""
        org = get_in_scope_or_404(Organisation, request.user, pk, Action.MANAGE_TREE)
        if not selectors.may_restructure(request.user, org):
            raise Http404(NOT_FOUND)
        return org

    def _managed(self, request, pk):
        return get_in_scope_or_404(
            Organisation,
            request.user,
            pk,
            Action.MANAGE_TREE,
            queryset=selectors.active_organisations(),
        )

    def _answer(self, org):
        org.refresh_from_db()
        self._parents = selectors.parent_ids([org]) if org.depth > 1 else {}
        return Response(self.get_serializer(org).data)

    @extend_schema(
        summary="编辑组织信息",
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        org = get_in_scope_or_404(Organisation, request.user, pk, Action.CHANGE)
        incoming = OrganisationUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        services.update_organisation(actor=request.user, org=org, **incoming.validated_data)
        return self._answer(org)

    @extend_schema(
        summary="调整隶属关系（连同全部下级）",
        request=MoveSerializer,
        responses={200: OrganisationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="move")
    def move(self, request, pk=None):
        org = self._restructurable(request, pk)
        incoming = MoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        new_parent = self._managed(request, incoming.validated_data["new_parent"])
        services.move_subtree(actor=request.user, org=org, new_parent=new_parent)
        return self._answer(org)

    @extend_schema(
        summary="合并到其他组织",
        request=MergeSerializer,
        responses={200: OrganisationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="merge")
    def merge(self, request, pk=None):
        org = self._restructurable(request, pk)
        incoming = MergeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        target = self._managed(request, incoming.validated_data["target"])
        services.merge_organisations(
            actor=request.user, source=org, target=target, on=incoming.validated_data["on"]
        )
        return self._answer(org)

    @extend_schema(
        summary="撤销组织",
        request=DissolveSerializer,
        responses={200: OrganisationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="dissolve")
    def dissolve(self, request, pk=None):
        org = self._restructurable(request, pk)
        incoming = DissolveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.dissolve_organisation(actor=request.user, org=org, **incoming.validated_data)
        return self._answer(org)

    @extend_schema(
        summary="换届选举（录入新一届委员会）",
        request=ElectionSerializer,
        responses={201: CommitteeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="elect")
    def elect(self, request, pk=None):
        org = get_in_scope_or_404(Organisation, request.user, pk, Action.CHANGE)
        incoming = ElectionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        members = membership.full_members(org, request.user)
        seats = []
        for index, seat in enumerate(data["seats"]):
            member = None
            if seat.get("member"):
                member = members.filter(pk=seat["member"]).first()
                if member is None:
                    return error_response(
                        "invalid",
                        "对应党员须是本组织及下级的正式党员",
                        fields={"seats": [f"{index}.member：对应党员须是本组织及下级的正式党员"]},
                    )
            seats.append({"name": seat.get("name", ""), "member": member, "post": seat["post"]})
        services.elect_committee(
            actor=request.user, org=org, elected_on=data["elected_on"], note=data["note"], seats=seats
        )
        committee = selectors.current_committee(org)
        return Response(CommitteeSerializer(committee).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="该组织的角色授权",
        responses={200: GrantSerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="授予角色",
        request=GrantCreateSerializer,
        responses={201: GrantSerializer, **ERRORS},
    )
    @action(
        detail=True, methods=["get", "post"], url_path="grants", pagination_class=None, filterset_class=None
    )
    def grants(self, request, pk=None):
        org = self._managed(request, pk)
        if request.method == "GET":
            return Response(GrantSerializer(selectors.grants_at(org, request.user), many=True).data)
        incoming = GrantCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = selectors.active_user_named(incoming.validated_data["username"])
        if user is None:
            return error_response(
                "invalid",
                "未找到该用户名对应的有效用户",
                fields={"username": ["未找到该用户名对应的有效用户"]},
            )
        grant = services.grant_role(
            actor=request.user, user=user, org=org, role=incoming.validated_data["role"]
        )
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    destroy=extend_schema(summary="撤销角色授权", responses={204: None, **ERRORS}),
)
class GrantViewSet(ScopedViewSetMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    model = Grant
    scope_action = Action.MANAGE_TREE
    write_action = Action.MANAGE_TREE
    serializer_class = GrantSerializer

    def destroy(self, request, *args, **kwargs):
        grant = self.get_object()
        services.revoke_grant(actor=request.user, grant=grant)
        return Response(status=status.HTTP_204_NO_CONTENT)
