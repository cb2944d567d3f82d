"""FilterSets of organisational life (the API's meeting list; the HTML pages filter by org and period in the URL)."""

import django_filters

from qiangji.core.filters import FilterSet
from qiangji.life.choices import MeetingStatus
from qiangji.life.models import Meeting
from qiangji.orgs.models import Organisation


class MeetingFilter(FilterSet):
    org = django_filters.NumberFilter(method="in_subtree", label="党组织编号（含全部下级）")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    type = django_filters.CharFilter(field_name="meeting_type__code", label="会议类型代码")
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ("org", "status", "type", "held_from", "held_to")

    def in_subtree(self, queryset, name, value):
        # The queryset is already the user's scope; the id only names a prefix inside it.
        path = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(org_path__startswith=path) if path else queryset.none()
