"""Serializers of the request desk's API: Open311 GeoReport v2 (+ the request-update extension) and the
units' own operations."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qiangji.service.choices import Audience, Channel, EventKind, Outcome, Phase, Rating, Status, Tier
from qiangji.service.models import Request, RequestEvent

ID_MAX = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def enum_field(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum is written inline in the OpenAPI (no shared component whose name
    could collide with another app's enum of the same field name)."""
    values = [value for value, _label in choices] + ([""] if kwargs.get("allow_blank") else [])
    schema = {  # wrapped in allOf: spectacular's enum hook hoists only a property's own `enum`
        "allOf": [{"type": "string", "enum": values}],
        "description": "；".join(f"{value}={label}" for value, label in choices),
    }
    field_class = extend_schema_field(schema)(type("ServiceEnumField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


# ----- Open311 ------------------------------------------------------------------------------------


class DiscoveryEndpointSerializer(serializers.Serializer):
    specification = serializers.CharField()
    url = serializers.CharField()
    changeset = serializers.CharField()
    type = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField())


class DiscoverySerializer(serializers.Serializer):
    changeset = serializers.CharField()
    contact = serializers.CharField()
    key_service = serializers.CharField()
    endpoints = DiscoveryEndpointSerializer(many=True)


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.BooleanField()
    type = enum_field([("realtime", "实时"), ("batch", "批量"), ("blackbox", "黑箱")])
    keywords = serializers.CharField()
    group = serializers.CharField()


class AttributeValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AttributeSerializer(serializers.Serializer):
    variable = serializers.BooleanField()
    code = serializers.CharField()
    datatype = enum_field(
        [(v, v) for v in ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")]
    )
    required = serializers.BooleanField()
    datatype_description = serializers.CharField()
    order = serializers.IntegerField()
    description = serializers.CharField()
    values = AttributeValueSerializer(many=True)


class ServiceDefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = AttributeSerializer(many=True)


class Open311CreateSerializer(serializers.Serializer):
    """POST requests: the GeoReport v2 fields (form-encoded or JSON); a location by lat/long, address_string
    or the registry's place id (`address_id`)."""

    service_code = serializers.SlugField(max_length=40)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    long = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    address_string = serializers.CharField(max_length=255, required=False, allow_blank=True)
    address_id = id_field(required=False, allow_null=True)
    community_id = id_field(required=False, allow_null=True)
    description = serializers.CharField(max_length=2000)
    phone = serializers.CharField(max_length=20)
    first_name = serializers.CharField(max_length=25, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=25, required=False, allow_blank=True)
    audience = enum_field(Audience.choices, required=False)


class Open311CreatedSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    token = serializers.CharField()
    service_notice = serializers.CharField()
    account_id = serializers.CharField(allow_null=True)


class Open311RequestSerializer(serializers.ModelSerializer):
    service_request_id = serializers.CharField(source="number")
    status = enum_field(Status.choices)
    status_notes = serializers.SerializerMethodField()
    service_name = serializers.CharField(source="category.name")
    service_code = serializers.CharField(source="category.code")
    agency_responsible = serializers.CharField(source="first_org.name")
    service_notice = serializers.SerializerMethodField()
    requested_datetime = serializers.DateTimeField(source="created_at")
    updated_datetime = serializers.DateTimeField(source="updated_at")
    expected_datetime = serializers.DateTimeField(source="final_due_at")
    address = serializers.CharField()
    lat = serializers.DecimalField(source="latitude", max_digits=9, decimal_places=6, allow_null=True)
    long = serializers.DecimalField(source="longitude", max_digits=9, decimal_places=6, allow_null=True)
    media_url = serializers.SerializerMethodField()
    extended_attributes = serializers.SerializerMethodField()

    class Meta:
        model = Request
        fields = (
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "service_notice",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "lat",
            "long",
            "media_url",
            "extended_attributes",
        )

    def get_status_notes(self, obj) -> str:
        return obj.answer or obj.get_phase_display()

    def get_service_notice(self, obj) -> str:
        return f"时限{obj.category.limit_text}"

    def get_media_url(self, obj) -> str:
        return obj.photo.url if obj.photo else ""

    def get_extended_attributes(self, obj) -> dict[str, str]:
        return {
            "phase": obj.phase,
            "phase_label": obj.get_phase_display(),
            "tier": obj.tier,
            "current_agency": obj.current_org.name,
        }


class TokenAnswerSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    token = serializers.CharField()


class Open311UpdateSerializer(serializers.ModelSerializer):
    """mySociety's request-update extension: one update per history line."""

    update_id = serializers.CharField(source="pk")
    service_request_id = serializers.CharField(source="request.number")
    status = serializers.SerializerMethodField()
    updated_datetime = serializers.DateTimeField(source="at")
    description = serializers.CharField(source="text")
    media_url = serializers.SerializerMethodField()
    extended_attributes = serializers.SerializerMethodField()

    class Meta:
        model = RequestEvent
        fields = (
            "update_id",
            "service_request_id",
            "status",
            "updated_datetime",
            "description",
            "media_url",
            "extended_attributes",
        )

    def get_status(self, obj) -> str:
        return Status.CLOSED if obj.phase in (Phase.CLOSED, Phase.MERGED) else Status.OPEN

    def get_media_url(self, obj) -> str:
        return ""

    def get_extended_attributes(self, obj) -> dict[str, str]:
        return {
            "kind": obj.kind,
            "kind_label": obj.get_kind_display(),
            "phase": obj.phase,
            "agency": obj.org_name,
        }


# ----- the units' operations ----------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    kind = enum_field(EventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    phase = enum_field(Phase.choices)
    tier = enum_field(Tier.choices, allow_blank=True)

    class Meta:
        model = RequestEvent
        fields = ("id", "at", "kind", "kind_label", "phase", "tier", "org_name", "actor_name", "text")


class RequestSerializer(serializers.ModelSerializer):
    category_code = serializers.CharField(source="category.code")
    first_org_name = serializers.CharField(source="first_org.name")
    current_org_name = serializers.CharField(source="current_org.name")
    phase = enum_field(Phase.choices)
    tier = enum_field(Tier.choices)
    status = enum_field(Status.choices)
    outcome = enum_field(Outcome.choices, allow_blank=True)
    rating = enum_field(Rating.choices, allow_blank=True)
    audience = enum_field(Audience.choices)
    channel = enum_field(Channel.choices)
    is_paused = serializers.BooleanField()

    class Meta:
        model = Request
        fields = (
            "id",
            "number",
            "category_code",
            "audience",
            "channel",
            "description",
            "address",
            "latitude",
            "longitude",
            "status",
            "phase",
            "tier",
            "first_org",
            "first_org_name",
            "current_org",
            "current_org_name",
            "due_at",
            "final_due_at",
            "paused_at",
            "is_paused",
            "escalations",
            "reopened",
            "responded_at",
            "answered_at",
            "closed_at",
            "answer",
            "outcome",
            "rating",
            "on_time",
            "created_at",
        )


class RequestDetailSerializer(RequestSerializer):
    events = EventSerializer(many=True)

    class Meta(RequestSerializer.Meta):
        fields = (*RequestSerializer.Meta.fields, "events")


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class DeskReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ClaimSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    department = id_field(required=False, allow_null=True)


class FiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    responded = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time = serializers.IntegerField()
    solved = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    unrated = serializers.IntegerField()
    open = serializers.IntegerField()
    escalated = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    resolution_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
