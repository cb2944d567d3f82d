"""The audit log's filter set, shared by the HTML page, its export and any API listing."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from qiangji.core.choices import Action
from qiangji.core.models import AuditEntry

_DATE = forms.DateInput(attrs={"type": "date"})


def _audit_orgs(request):
    """Organisations offered in the filter: only those the user may audit (never a foreign one)."""
    from qiangji.orgs.models import Organisation

    user = getattr(request, "user", None)
    if user is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(user, Action.AUDIT)


@extend_schema_field(OpenApiTypes.STR)
class OrganisationCodeFilter(django_filters.ModelChoiceFilter):
    """An organisation given by its code; the API documents it as a string."""


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="icontains", label=_("操作人"))
    action = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", label=_("操作"),
        widget=forms.TextInput(attrs={"list": "audit-actions", "placeholder": "members."}),
    )
    target_type = django_filters.CharFilter(field_name="target_type", label=_("对象类型"),
                                            widget=forms.TextInput(attrs={"placeholder": "members.member"}))
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("起始日期"),
                                          widget=_DATE)
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("截止日期"),
                                        widget=_DATE)
    request_id = django_filters.CharFilter(field_name="request_id", label=_("请求编号"))
    # By organisation code, typed or linked from an organisation page: a select of every node in a
    # province would hold hundreds of thousands of options.
    organisation = OrganisationCodeFilter(
        queryset=_audit_orgs, to_field_name="code", method="filter_subtree", label=_("组织编码（含下级）"),
        widget=forms.TextInput(attrs={"placeholder": _("组织编码")}),
        error_messages={"invalid_choice": _("组织编码：未找到该组织，或不在您的审计范围内")},
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        # The organisation choices are scoped by the request's user; selectors pass the user alone.
        if request is None and user is not None:
            request = _UserOnly(user)
        super().__init__(data, queryset, request=request, **kwargs)

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(org_path__startswith=value.path) if value else queryset


class _UserOnly:
    def __init__(self, user):
        self.user = user
