"""Organisation serializers: shapes only; the services check the rules (same messages as the forms)."""

from rest_framework import serializers

from qiangji.core.choices import Action, Role
from qiangji.orgs.choices import Post
from qiangji.orgs.models import Committee, Grant, Organisation
from qiangji.orgs.services.tree import EDITABLE_FIELDS

# An id in a request body: a positive 64-bit integer, checked by the serializer (400 naming the field)
# before any lookup; an unknown id or one outside the user's subtree is then the view's 404.
ID_MAX = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField(help_text="上级组织编号（根节点为空）")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = (
            "id",
            "parent",
            "path",
            "depth",
            *EDITABLE_FIELDS,
            "kind_display",
            "dissolved_on",
            "dissolved_reason",
            "merged_into",
            "updated_at",
        )
        read_only_fields = fields

    def get_parent(self, obj) -> int | None:
        parents = self.context.get("parents", {})
        return parents.get(obj.path[: -obj.steplen]) if obj.depth > 1 else None


class OrganisationCreateSerializer(serializers.ModelSerializer):
    parent = id_field(help_text="上级组织编号；须在您的组织架构管理范围内")

    class Meta:
        model = Organisation
        fields = ("parent", *EDITABLE_FIELDS)
        extra_kwargs = {"code": {"required": False, "validators": []}, "region_code": {"read_only": True}}

    def validate(self, attrs):
        return attrs  # the service validates (same rules and messages as the form)


class OrganisationSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=60, help_text="名称、名称的一部分、拼音或拼音首字母")
    action = serializers.ChoiceField(
        choices=Action.choices, default=Action.VIEW, help_text="在哪种权限范围内查找（默认查看）"
    )
    within = id_field(required=False, help_text="仅在该组织及其下级中查找")
    include_dissolved = serializers.BooleanField(default=False, help_text="是否包含已撤销的组织")


class OrganisationSearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    path = serializers.CharField()
    kind = serializers.CharField(help_text="组织类型（名称）")
    parent_name = serializers.CharField(help_text="上级组织名称（根节点为空）")


class OrganisationSearchSerializer(serializers.Serializer):
    results = OrganisationSearchResultSerializer(many=True, help_text="至多20个，最匹配的在前")


class OrganisationUpdateSerializer(serializers.ModelSerializer):
    """The fields the edit page changes; only those sent are changed (PATCH)."""

    class Meta:
        model = Organisation
        fields = EDITABLE_FIELDS
        extra_kwargs = {
            "code": {"required": False, "validators": []},
            "region_code": {"read_only": True},
            **{name: {"required": False} for name in EDITABLE_FIELDS if name not in ("code", "region_code")},
        }

    def validate(self, attrs):
        return attrs  # the service validates (same rules and messages as the form)


class MoveSerializer(serializers.Serializer):
    new_parent = id_field(
        help_text="新的上级组织编号；须在您的组织架构管理范围内（可用 organisations/search 按名称查找）"
    )


class MergeSerializer(serializers.Serializer):
    target = id_field(help_text="并入的组织编号；须在您的组织架构管理范围内")
    on = serializers.DateField(help_text="合并日期")


class DissolveSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="撤销日期")
    reason = serializers.CharField(max_length=255, help_text="撤销原因")


class SeatSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="姓名（无对应党员档案时）"
    )
    member = id_field(required=False, allow_null=True, help_text="对应党员编号（本组织及下级的正式党员）")
    post = serializers.ChoiceField(choices=Post.choices, help_text="职务")


class ElectionSerializer(serializers.Serializer):
    elected_on = serializers.DateField(help_text="选举日期")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    seats = SeatSerializer(many=True, help_text="新一届委员（至多7人）")


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ("id", "organisation", "elected_on", "term_years", "term_ends_on", "ended_on", "note")
        read_only_fields = fields


class GrantSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Grant
        fields = ("id", "organisation", "username", "role", "role_display", "created_at")
        read_only_fields = fields


class GrantCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="被授权用户的用户名")
    role = serializers.ChoiceField(choices=Role.choices, help_text="角色")
