"""Organisation serializers: shapes only; the services check the rules (same messages as the forms)."""

from rest_framework import serializers

from qiangji.orgs.models import Organisation
from qiangji.orgs.services.tree import EDITABLE_FIELDS


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
