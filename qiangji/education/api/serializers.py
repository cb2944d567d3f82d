"""Serializers of the education API."""

from rest_framework import serializers

from qiangji.education.models import Course, HourEntry, TrainingClass


class StartSessionSerializer(serializers.Serializer):
    chapter = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class SessionSerializer(serializers.Serializer):
    token = serializers.CharField()
    chapter = serializers.IntegerField()
    duration_seconds = serializers.IntegerField()
    max_speed = serializers.FloatField()


class HeartbeatSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=43)
    seq = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    start = serializers.FloatField(min_value=0, max_value=86400)
    end = serializers.FloatField(min_value=0, max_value=86400)


class CheckAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=43)
    code = serializers.CharField(max_length=4)


class ProgressSerializer(serializers.Serializer):
    covered_seconds = serializers.FloatField()
    wall_seconds = serializers.FloatField()
    duration_seconds = serializers.IntegerField()
    coverage = serializers.FloatField(help_text="此会话已计入的覆盖比例（0–1）")
    check_code = serializers.CharField(help_text="非空时须先回答随学检查，期间不计学时")
    completed = serializers.BooleanField()
    intervals = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))


class HourEntrySerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    hours = serializers.FloatField(read_only=True)

    class Meta:
        model = HourEntry
        fields = [
            "id",
            "member",
            "member_name",
            "year",
            "source",
            "channel",
            "provider",
            "half_hours",
            "hours",
            "concentrated",
            "induction",
            "title",
            "held_on",
            "origin",
        ]
        read_only_fields = fields


class SourceHoursSerializer(serializers.Serializer):
    source = serializers.CharField()
    label = serializers.CharField()
    half_hours = serializers.IntegerField()
    hours = serializers.FloatField()


class MemberYearSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.name")
    year = serializers.IntegerField()
    total_hh = serializers.IntegerField()
    required_hh = serializers.IntegerField()
    is_leader = serializers.BooleanField()
    by_source = SourceHoursSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())


class LedgerRowSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")
    is_leader = serializers.BooleanField()
    entries_hh = serializers.IntegerField()
    life_hh = serializers.IntegerField()
    total_hh = serializers.IntegerField()
    required_hh = serializers.IntegerField()
    short_hh = serializers.IntegerField()


class CoverageRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    name = serializers.CharField(source="organisation__name")
    members = serializers.IntegerField()
    met = serializers.IntegerField()
    short = serializers.IntegerField()
    shortfall_hh = serializers.IntegerField()
    total_hh = serializers.IntegerField()


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "title", "description", "provider", "max_speed_pct", "published", "org_path"]
        read_only_fields = fields


class TrainingClassSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "title",
            "organisation",
            "organisation_name",
            "site",
            "provider",
            "starts_on",
            "ends_on",
            "theory_share_min_pct",
            "completion_pct",
            "status",
        ]
        read_only_fields = fields


class ClassCheckInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class ClassAttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session.pk")
    title = serializers.CharField(source="session.title")
    half_hours = serializers.IntegerField(source="session.half_hours")
