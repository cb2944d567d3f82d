"""Filter sets of the dues API lists (`?member=`, `?month=2026-05`)."""

import django_filters

from qiangji.core.filters import FilterSet
from qiangji.dues import months
from qiangji.dues.models import DuesAccount, DuesBase, HardshipReduction, Payment, Suggestion


class MonthFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        month = months.parse(value)
        return qs.filter(**{self.field_name: month}) if month else qs


class MemberFilterSet(FilterSet):
    """A plain number, not a choice of all members: an unknown and a foreign id answer alike (empty)."""

    member = django_filters.NumberFilter(field_name="member_id", label="党员编号")


def member_filterset(model_class, *extra):
    meta = type("Meta", (), {"model": model_class, "fields": ["member", *extra]})
    return type(f"{model_class.__name__}Filter", (MemberFilterSet,), {"Meta": meta})


class PaymentFilter(MemberFilterSet):
    month = MonthFilter(field_name="month", label="所属月份（如 2026-05）")

    class Meta:
        model = Payment
        fields = ["member", "kind", "month"]


BaseFilter = member_filterset(DuesBase)
AccountFilter = member_filterset(DuesAccount)
ReductionFilter = member_filterset(HardshipReduction, "status")
SuggestionFilter = member_filterset(Suggestion, "kind")
