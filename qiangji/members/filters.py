"""One filter set for members, shared by the HTML list, the API list and the export (docs/architecture.md "Layers inside an app")."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from qiangji.core.filters import FilterSet
from qiangji.core.scoping import scope_of
from qiangji.members.choices import Category, Education, MemberStatus, Sex
from qiangji.members.models import Member
from qiangji.members.selectors import search_members
from qiangji.orgs.models import Organisation

ALL = "全部"


@extend_schema_field(OpenApiTypes.INT)
class OrganisationFilter(django_filters.ModelChoiceFilter):
    """An organisation by primary key (documented as an integer in the OpenAPI schema)."""


def _visible_orgs(request):
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(request.user)


def _single_root(request) -> str | None:
    if request is None:
        return None
    paths = scope_of(request.user).paths_for("view")
    return paths[0] if len(paths) == 1 else None


class MemberFilter(FilterSet):
    """`org` includes the organisation's whole subtree; an organisation outside the user's scope is
    not a valid choice, so the filter never widens what the base queryset already limits."""

    org = OrganisationFilter(
        label="党组织",
        queryset=_visible_orgs,
        method="filter_org",
        empty_label=ALL,
        error_messages={"invalid_choice": "党组织：所选党组织不存在或不在您的管理范围内"},
    )
    status = django_filters.ChoiceFilter(label="党员状态", choices=MemberStatus.choices, empty_label=ALL)
    sex = django_filters.ChoiceFilter(label="性别", choices=Sex.choices, empty_label=ALL)
    education = django_filters.ChoiceFilter(label="学历", choices=Education.choices, empty_label=ALL)
    category = django_filters.ChoiceFilter(label="人员类别", choices=Category.choices, empty_label=ALL)
    is_mobile = django_filters.BooleanFilter(
        label="流动党员", widget=forms.Select(choices=[("", ALL), ("true", "是"), ("false", "否")])
    )
    search = django_filters.CharFilter(
        label="搜索", method="filter_search", help_text="姓名、拼音或首字母、身份证号或手机号后四位"
    )

    class Meta:
        model = Member
        fields = ["org", "status", "sex", "education", "category", "is_mobile", "search"]

    def filter_org(self, queryset, name, value):
        return queryset.filter(org_path__startswith=value.path) if value else queryset

    def filter_search(self, queryset, name, value):
        # The subtree searched, when known (the org filter, else a user's single root): lets the
        # search read a small subtree as its path range (selectors.search_members).
        org = self.form.cleaned_data.get("org") if hasattr(self.form, "cleaned_data") else None
        return search_members(queryset, value, within=org.path if org else _single_root(self.request))

    @property
    def qs(self):
        # An invalid filter (e.g. a foreign organisation) shows nothing rather than everything.
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs
