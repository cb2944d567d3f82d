"""One filter set per list, shared by the HTML page and the API."""

import django_filters

from qiangji.core.filters import FilterSet
from qiangji.governance.choices import CaseStatus, DecisionStage, DecisionStatus, ObjectionStatus, PreReview
from qiangji.governance.models import Decision, PowerCase


class CaseFilter(FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=CaseStatus.choices)
    objections = django_filters.ChoiceFilter(
        label="异议", choices=[("open", "有待处理的异议")], method="filter_objections"
    )
    q = django_filters.CharFilter(label="编号或事由", method="filter_q")

    class Meta:
        model = PowerCase
        fields = ("status",)

    def filter_objections(self, queryset, name, value):
        if value == "open":
            return queryset.filter(objections__status=ObjectionStatus.OPEN).distinct()
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        return queryset.filter(number__icontains=value) | queryset.filter(subject__icontains=value)


class DecisionFilter(FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=DecisionStatus.choices)
    stage = django_filters.ChoiceFilter(label="已完成环节", choices=DecisionStage.choices)
    prereview = django_filters.ChoiceFilter(label="前置审核", choices=PreReview.choices)

    class Meta:
        model = Decision
        fields = ("status", "stage", "prereview")
