"""Filter sets of the education app (shared by the HTML lists and the API)."""

import django_filters

from qiangji.core.filters import FilterSet
from qiangji.education.choices import Source
from qiangji.education.models import HourEntry


class HourEntryFilter(FilterSet):
    year = django_filters.NumberFilter(field_name="year")
    source = django_filters.ChoiceFilter(field_name="source", choices=Source.choices)
    member = django_filters.NumberFilter(field_name="member_id")

    class Meta:
        model = HourEntry
        fields = ["year", "source", "member"]
