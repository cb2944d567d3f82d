"""Template helpers of the work shell (ADR 0020): icons, the sidebar's sections, the node being viewed,
empty states and the list component's page controls.  None of them queries the database: other apps'
tests pin their pages' query counts, and the shell renders on every page."""

from django import template
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

register = template.Library()

SPRITE = "vendor/tabler-icons-3.35.0/tabler-sprite.svg"

SECTION_LABELS = {
    "mine": _("我的"),
    "work": _("工作"),
    "oversee": _("监督"),
    "system": _("系统"),
}

PAGE_SIZES = (10, 25, 50, 100)

# Context names under which pages pass the organisation they show (the first with a name wins).
NODE_KEYS = ("org", "node", "organisation", "branch")


@register.simple_tag
def icon(name: str, size: int = 20, label: str = ""):
    """An icon of the vendored Tabler sprite; decorative unless `label` is given."""
    href = f"{static(SPRITE)}#ti-{name}"
    if label:
        return format_html(
            '<svg class="icon icon-{}" width="{}" height="{}" role="img" aria-label="{}"><use href="{}"></use></svg>',
            name,
            size,
            size,
            label,
            href,
        )
    return format_html(
        '<svg class="icon icon-{}" width="{}" height="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        name,
        size,
        size,
        href,
    )


@register.filter
def nav_sections(entries) -> list[dict]:
    """`nav_entries` grouped by section, in the registry's order, each group with its label and whether it
    holds the active entry (the sidebar opens that one)."""
    groups: list[dict] = []
    for entry in entries or ():
        key = entry.get("section", "work")
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "label": SECTION_LABELS.get(key, key), "entries": [], "active": False})
        groups[-1]["entries"].append(entry)
        groups[-1]["active"] = groups[-1]["active"] or bool(entry.get("active"))
    return groups


@register.filter
def active_entry(entries):
    """The active nav entry other than the home page (the default breadcrumb), or None."""
    for entry in entries or ():
        if entry.get("active") and entry.get("key") != "home":
            return entry
    return None


@register.simple_tag(takes_context=True)
def viewed_node(context):
    """The organisation the page shows, when the view passed one (`org`, `node`…), else None."""
    for key in NODE_KEYS:
        value = context.get(key)
        if value is not None and getattr(value, "name", None) and getattr(value, "pk", None):
            return value
    return None


@register.filter
def may_switch_scope(user_scope) -> bool:
    """The scope switcher is for accounts that manage some organisation (a plain member has none)."""
    if user_scope is None:
        return False
    from qiangji.core import navigation

    return navigation.is_manager(user_scope, None)


@register.simple_tag
def url_or_empty(url_name: str, *args) -> str:
    """The URL of `url_name`, or "" when it is not routed (an app not installed)."""
    try:
        return reverse(url_name, args=args or None)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("core/components/empty_state.html")
def empty_state(title="", hint="", action_url="", action_label="", icon_name="inbox"):
    """The one empty state: what is missing, what to do next, and the button that does it."""
    return {
        "title": title or _("暂无记录"),
        "hint": hint,
        "action_url": action_url,
        "action_label": action_label,
        "icon_name": icon_name,
    }


@register.simple_tag
def page_sizes(current=None) -> list[dict]:
    """The page sizes the list component offers, the current one marked (an unusual current size kept)."""
    try:
        current = int(current) if current is not None else None
    except (TypeError, ValueError):
        current = None
    sizes = sorted(set(PAGE_SIZES) | ({current} if current and 0 < current <= 500 else set()))
    return [{"value": size, "selected": size == current} for size in sizes]


@register.filter
def cell_label(column) -> str:
    """The header of a django-tables2 column as the phone card's label ("" for selection columns)."""
    header = getattr(column, "header", "")
    return "" if header is None else str(header)


@register.simple_tag(takes_context=True)
def querystring_with(context, field, value) -> str:
    """The current query string with `field` set to `value` (filters and sort kept), without the "?"."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query[field or "page"] = value
    query.pop("export", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def hidden_query_fields(context, *exclude) -> str:
    """Hidden inputs carrying the current query parameters except `exclude` (a GET form keeps the filters)."""
    request = context.get("request")
    if request is None:
        return ""
    skip = {name for name in exclude if name} | {"export", "page"}
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((key, value) for key, values in request.GET.lists() if key not in skip for value in values),
    )


@register.simple_tag
def subtree_chart_data(rows, indicators) -> dict:
    """Data for the wall's treemap (and any chart of a node's children), for `json_script`: the indicators
    (code, label, unit, group, better) and each child's name, link and raw value per indicator, in the
    indicators' order.  `rows` are the dashboard's child rows (dicts with name, url, raw)."""
    return {
        "indicators": [
            {
                "code": getattr(i, "code", ""),
                "label": str(getattr(i, "label", "")),
                "unit": getattr(i, "unit", ""),
                "group": str(getattr(i, "group", "")),
                "better": getattr(i, "better", "high"),
            }
            for i in indicators or ()
        ],
        "children": [
            {
                "name": row.get("name", ""),
                "url": row.get("url", ""),
                "raw": [_number(v) for v in row.get("raw", ())],
            }
            for row in rows or ()
        ],
    }


def _number(value):
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


@register.simple_tag
def chart_rows(items, label_key="", value_key="") -> list[dict]:
    """Rows for the CSS bar chart / funnel component: label, value and its share of the largest value
    (0–100, for the bar's width).  `items` are (label, value) pairs, or dicts/objects read with
    `label_key` and `value_key`."""
    rows = []
    for item in items or ():
        if isinstance(item, (tuple, list)):
            label, value = item[0], item[1]
        elif isinstance(item, dict):
            label, value = item.get(label_key), item.get(value_key)
        else:
            label, value = getattr(item, label_key, ""), getattr(item, value_key, None)
        rows.append(
            {"label": label, "value": _number(value) or 0, "text": value if value is not None else "—"}
        )
    top = max((row["value"] for row in rows), default=0)
    for row in rows:
        row["share"] = round(100 * row["value"] / top, 1) if top else 0
    return rows
