"""The case list's filters (`?org=`, `?status=`, `?step=`), used by the API's case list.

A malformed number filters to nothing (never a 400): an unknown organisation, one outside the user's
scope, or a step that is not a number gives an empty list, as the list always did.
"""

import django_filters

from qiangji.core.filters import FilterSet
from qiangji.recruitment.models import Case
from qiangji.recruitment.selectors.cases import visible_org


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class CaseFilter(FilterSet):
    org = django_filters.CharFilter(method="filter_org", label="党组织编号，含其全部下级")
    status = django_filters.CharFilter(field_name="status", label="状态")
    step = django_filters.CharFilter(method="filter_step", label="当前步骤（已完成的最后一步）")

    class Meta:
        model = Case
        fields = ("org", "status", "step")

    def filter_org(self, queryset, name, value):
        org = visible_org(self.request.user, _int(value))
        return queryset.filter(org_path__startswith=org.path) if org else queryset.none()

    def filter_step(self, queryset, name, value):
        return queryset.filter(step=_int(value))
