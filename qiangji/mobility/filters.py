"""One filter set per list, shared by the HTML page and the API."""

import django_filters
from django.db.models import Q

from qiangji.core.dates import today
from qiangji.core.filters import FilterSet
from qiangji.mobility.choices import FlowStatus, TransferKind, TransferStatus
from qiangji.mobility.models import MobileFlow, Transfer
from qiangji.mobility.selectors import overdue_q


class TransferFilter(FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=TransferStatus.choices)
    kind = django_filters.ChoiceFilter(label="类型", choices=TransferKind.choices)
    overdue = django_filters.BooleanFilter(label="只看超期（未接收或回执未返回）", method="filter_overdue")
    q = django_filters.CharFilter(label="姓名或编号", method="filter_q")

    class Meta:
        model = Transfer
        fields = ("status", "kind")

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        late_transfer, late_receipt = overdue_q(today())
        return queryset.filter(late_transfer | late_receipt)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(member_name__contains=value) | Q(number__contains=value)) if value else queryset
        )


class FlowFilter(FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=FlowStatus.choices)
    province = django_filters.CharFilter(label="流入省份", lookup_expr="startswith")
    employer = django_filters.CharFilter(label="就业单位或平台", lookup_expr="contains")

    class Meta:
        model = MobileFlow
        fields = ("status", "province", "employer")
