"""Template helpers for the shell: nav links that tolerate missing URL names, audit labels and diffs."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from qiangji.core import audit_labels

register = template.Library()

_MISSING = "—"


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str, prefix: str = ""):
    """A nav entry, or nothing when `url_name` is not (yet) routed: apps plug in without breaking the shell."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    request = context.get("request")
    path = getattr(request, "path", "")
    active_root = prefix or url
    is_active = path == url if active_root == "/" else path.startswith(active_root)
    if is_active:
        return format_html('<a href="{}" class="active" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.filter
def audit_label(action: str) -> str:
    return audit_labels.label_for(action)


def _display(value) -> str:
    if value is None or value == "":
        return _MISSING
    if isinstance(value, list):
        return "、".join(_display(v) for v in value) or _MISSING
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _model_field(target_type: str, key: str):
    try:
        return apps.get_model(target_type)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _field_label(target_type: str, key: str) -> str:
    """The model field's Chinese verbose name when the target model still has that field, else the label an
    app registered for that key (audit_labels.FIELD_LABELS), else the key."""
    field = _model_field(target_type, key)
    if (
        field is not None
        and getattr(field, "verbose_name", None)
        and str(field.verbose_name) != key.replace("_", " ")
    ):
        return str(field.verbose_name)
    return audit_labels.field_label(target_type, key, _verbose_name)


def _verbose_name(target_type: str, key: str):
    field = _model_field(target_type, key)
    return str(field.verbose_name) if field is not None and getattr(field, "verbose_name", None) else None


def _value_display(target_type: str, key: str, value) -> str:
    """A stored value as people read it: a choice's label (the field's own choices, else any choices on the
    platform that give that value one label), a related row's name, yes/no, "—" for nothing."""
    if isinstance(value, list):
        return "、".join(_value_display(target_type, key, v) for v in value) or _MISSING
    if value is None or value == "" or isinstance(value, bool | dict):
        return _display(value)
    field = _model_field(target_type, key)
    if field is not None and getattr(field, "choices", None):
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    if field is not None and field.is_relation and field.many_to_one and str(value).isdigit():
        related = field.related_model._base_manager.filter(pk=value).first()
        if related is not None:
            return str(related)
    if isinstance(value, str):
        label = audit_labels.value_label(value)
        if label is not None:
            return label
    return _display(value)


@register.filter
def target_url(entry) -> str:
    """The page of the entry's target, or "" when its type has no page (or the URL is not routed)."""
    url_name = audit_labels.TARGET_URLS.get(entry.target_type)
    if not url_name or not entry.target_id:
        return ""
    try:
        return reverse(url_name, kwargs={"pk": entry.target_id})
    except NoReverseMatch:
        return ""


@register.filter
def target_type_label(target_type: str) -> str:
    """`members.member` → 党员; unknown or removed models show the raw label."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


@register.filter
def audit_changes(entry) -> list[dict]:
    """Rows of (field, before, after) for an entry; fields present on only one side show "—"."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    rows = []
    for key in keys:
        if key in audit_labels.HIDDEN_KEYS:
            continue
        old, new = before.get(key), after.get(key)
        rows.append(
            {
                "field": _field_label(entry.target_type, key),
                "before": _value_display(entry.target_type, key, old),
                "after": _value_display(entry.target_type, key, new),
                "changed": old != new,
            }
        )
    return rows


@register.simple_tag
def export_choices():
    """The formats a list page exports (core.exporting.ExportMixin): [("xlsx", "Excel"), ("csv", "CSV")]."""
    from qiangji.core.exporting import EXPORT_LABELS

    return EXPORT_LABELS
