"""One filter set for organisations, shared by the HTML list and the API."""

import django_filters
from django.db.models import Q

from qiangji.core.filters import FilterSet
from qiangji.orgs.choices import OrgCategory, OrgKind
from qiangji.orgs.models import Organisation


class OrganisationFilterSet(FilterSet):
    ancestor = django_filters.NumberFilter(label="上级组织（含全部下级）", method="filter_ancestor")
    kind = django_filters.ChoiceFilter(label="组织类型", choices=OrgKind.choices)
    category = django_filters.ChoiceFilter(label="组织类别", choices=OrgCategory.choices)
    search = django_filters.CharFilter(label="名称或编码", method="filter_search")
    active = django_filters.BooleanFilter(label="仅现存组织", method="filter_active")

    class Meta:
        model = Organisation
        fields = ["ancestor", "kind", "category", "search", "active"]

    def filter_ancestor(self, queryset, name, value):
        """The ancestor and its whole subtree; an ancestor the user cannot see gives an empty list."""
        user = getattr(self.request, "user", None)
        ancestor = (
            Organisation.objects.visible_to(user).filter(pk=value).values_list("path", flat=True).first()
        )
        return queryset.filter(path__startswith=ancestor) if ancestor else queryset.none()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__iexact=value)
        )

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(dissolved_on__isnull=value)
