"""Filter plumbing shared by every app, and the audit log's filter set.

Every app's FilterSet reaches the API through `FilterBackend` (the default filter backend in
REST_FRAMEWORK), which bounds integer values before the database sees them: a value beyond the 64-bit
signed range (`?member=9223372036854775808`) overflowed SQLite's and PostgreSQL's integers and answered
500; now it answers 400 with the parameter named in `fields`. On the API an empty value of a choice
(`?status=`) is refused too, as the published enum does not list "". `FilterSet` applies the same
integer bounds for the HTML lists that build a filter set themselves.
"""

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from qiangji.core.choices import Action
from qiangji.core.models import AuditEntry

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
OUT_OF_RANGE = "{label}：须为 {minimum} 到 {maximum} 之间的整数"
EMPTY_CHOICE = "{label}：不能为空，请从可选值中选择，或不传该参数"

_DATE = forms.DateInput(attrs={"type": "date"})


def _integer_field(field) -> bool:
    field = getattr(field, "target_field", field)  # a foreign key compares as its target's type
    return isinstance(field, models.IntegerField | models.AutoField)


def _numeric_form_field(form_field) -> bool:
    # forms.DecimalField and forms.FloatField are subclasses of forms.IntegerField.
    if isinstance(form_field, forms.MultiValueField):  # RangeFilter: a minimum and a maximum
        return any(_numeric_form_field(sub) for sub in form_field.fields)
    return isinstance(form_field, forms.IntegerField)


def _integer_column(filterset_class, filter_) -> bool:
    """Whether the filter's field path ends at an integer column of the filter set's model."""
    model = filterset_class._meta.model
    if model is None or not filter_.field_name:
        return False
    to_field = filter_.extra.get("to_field_name")
    path = f"{filter_.field_name}__{to_field}" if to_field else filter_.field_name
    try:
        return _integer_field(get_model_field(model, path))
    except Exception:  # a path through an annotation or a property: not a column we can type
        return False


def _bounded(filterset_class, filter_, form_field) -> bool:
    """Numbers (any NumberFilter, RangeFilter, ...) and choices of rows by an integer id are bounded."""
    if isinstance(form_field, forms.ModelChoiceField):
        model = form_field.queryset.model  # type: ignore[union-attr]  # django-filter always sets the queryset
        to_field = form_field.to_field_name
        return _integer_field(model._meta.get_field(to_field) if to_field else model._meta.pk)
    return (
        _numeric_form_field(form_field)
        or _integer_column(filterset_class, filter_)
        and not isinstance(form_field, forms.ChoiceField | forms.BooleanField | forms.NullBooleanField)
    )


_ENUM_FILTERS = (
    django_filters.ChoiceFilter,
    django_filters.MultipleChoiceFilter,
    django_filters.TypedChoiceFilter,
    django_filters.TypedMultipleChoiceFilter,
)


def _values(value):
    return value if isinstance(value, list | tuple) else [value]


def _out_of_range(value) -> bool:
    if value is None or value == "":
        return False
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return False  # not a number at all: the field's own validation answers
    return number.is_finite() and not INT64_MIN <= number <= INT64_MAX


class _BoundedField:
    """Mixed into a form field's class: integer values outside the 64-bit range are refused before the
    field looks them up (a ModelChoiceField queries the database while cleaning)."""

    refuse_empty = False

    def clean(self, value):
        label = self.label or self._qiangji_name
        if any(_out_of_range(item) for item in _values(value)):
            raise forms.ValidationError(
                OUT_OF_RANGE.format(label=label, minimum=INT64_MIN, maximum=INT64_MAX), code="out_of_range"
            )
        return super().clean(value)


class _NonEmptyChoice:
    """Mixed into a choice field's class on the API: a parameter given as "" is refused."""

    def clean(self, value):
        if self._qiangji_present and any(item == "" for item in _values(value)):
            raise forms.ValidationError(
                EMPTY_CHOICE.format(label=self.label or self._qiangji_name), code="empty_choice"
            )
        return super().clean(value)


_MIXED: dict[tuple[type, type], type] = {}


def _mix(field, mixin, name: str) -> None:
    cls = type(field)
    if issubclass(cls, mixin):
        return
    mixed = _MIXED.get((mixin, cls))
    if mixed is None:
        mixed = _MIXED[(mixin, cls)] = type(f"{mixin.__name__.strip('_')}{cls.__name__}", (mixin, cls), {})
    field.__class__ = mixed
    field._qiangji_name = name


def guard(filterset, *, refuse_empty_choices: bool = False):
    """Bound the integer fields of a filter set's form (and, for the API, refuse "" for a choice).

    Call before the form is validated; returns the filter set.
    """
    form = filterset.form
    data = filterset.data if filterset.data is not None else {}
    for name, form_field in form.fields.items():
        filter_ = filterset.filters.get(name)
        if filter_ is None:
            continue
        if _bounded(type(filterset), filter_, form_field):
            _mix(form_field, _BoundedField, name)
        elif (
            refuse_empty_choices
            and isinstance(filter_, _ENUM_FILTERS)
            and not filter_.extra.get("null_label")
        ):
            _mix(form_field, _NonEmptyChoice, name)
            form_field._qiangji_present = form.add_prefix(name) in data
    return filterset


class FilterSet(django_filters.FilterSet):
    """Base for the apps' filter sets: integer values beyond 64 bits are a form error, not a 500."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form  # noqa: B018 -- builds and caches self._form
            guard(self)
        return self._form


class FilterBackend(DjangoFilterBackend):
    """The default filter backend: every app's filter set is bounded on the API, inherited or not."""

    filterset_base = FilterSet

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        return guard(filterset, refuse_empty_choices=True) if filterset is not None else None


class FilterBackendSchema(DjangoFilterExtension):
    """Documents the bounds `FilterBackend` enforces: integer filters as int64 with minimum/maximum."""

    target_class = "qiangji.core.filters.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        integer = _integer_column(filterset_class, filter_field)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "number" and integer:
                schema.update(type="integer", format="int64")
            if schema.get("type") in ("integer", "number"):
                schema.update(minimum=INT64_MIN, maximum=INT64_MAX)
        return parameters


def _audit_orgs(request):
    """Organisations offered in the filter: only those the user may audit (never a foreign one)."""
    organisation = apps.get_model("orgs", "Organisation")  # by name: the kernel imports no domain app
    user = getattr(request, "user", None)
    if user is None:
        return organisation.objects.none()
    return organisation.objects.visible_to(user, Action.AUDIT)


@extend_schema_field(OpenApiTypes.STR)
class OrganisationCodeFilter(django_filters.ModelChoiceFilter):
    """An organisation given by its code; the API documents it as a string."""


class AuditEntryFilter(FilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="icontains", label=_("操作人"))
    action = django_filters.CharFilter(
        field_name="action",
        lookup_expr="startswith",
        label=_("操作"),
        widget=forms.TextInput(attrs={"list": "audit-actions", "placeholder": "members."}),
    )
    target_type = django_filters.CharFilter(
        field_name="target_type",
        label=_("对象类型"),
        widget=forms.TextInput(attrs={"placeholder": "members.member"}),
    )
    date_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("起始日期"), widget=_DATE
    )
    date_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("截止日期"), widget=_DATE
    )
    request_id = django_filters.CharFilter(field_name="request_id", label=_("请求编号"))
    # By organisation code, typed or linked from an organisation page: a select of every node in a
    # province would hold hundreds of thousands of options.
    organisation = OrganisationCodeFilter(
        queryset=_audit_orgs,
        to_field_name="code",
        method="filter_subtree",
        label=_("组织编码（含下级）"),
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
