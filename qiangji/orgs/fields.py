"""Form fields that choose an organisation by name or pinyin (the picker of `core.widgets`), never by code.

`OrganisationField(user=…, action=…)` offers the organisations the user may `action`; `everywhere=True`
any active organisation on the platform (the receiving side of a transfer or a flow).  The widget posts
the picked id; without the script, or when nothing was picked, the typed text is resolved by exact name
(full or short) or organisation code, and an ambiguous or unknown name is refused with the candidates.
"""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qiangji.core.choices import Action
from qiangji.core.widgets import OrganisationPicker, TypedText
from qiangji.orgs import search
from qiangji.orgs.models import Organisation


class OrganisationField(forms.ModelChoiceField):
    widget = OrganisationPicker
    default_error_messages = {"invalid_choice": _lazy("所选组织不存在，或不在您的管理范围内")}

    def __init__(
        self,
        *,
        user=None,
        action: str = Action.CHANGE,
        kinds=(),
        categories=(),
        everywhere: bool = False,
        queryset=None,
        tree: bool = True,
        within=None,
        **kwargs,
    ):
        self.user, self.action, self.kinds, self.categories = user, action, tuple(kinds), tuple(categories)
        self.everywhere, self.within = everywhere, within
        if queryset is None:
            queryset = self.base_queryset()
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)
        self.widget = OrganisationPicker(
            search_url=self.picker_url("orgs:search"),
            tree_url=self.picker_url("orgs:picker-children") if tree else "",
            label_for=self.label_for,
        )

    def base_queryset(self):
        if self.everywhere:
            queryset = search.platform_organisations(self.user).active()
        else:
            queryset = Organisation.objects.visible_to(self.user, self.action).active()
        if self.kinds:
            queryset = queryset.filter(kind__in=self.kinds)
        if self.categories:
            queryset = queryset.filter(category__in=self.categories)
        if self.within is not None:
            queryset = queryset.filter(path__startswith=self.within.path)
        return queryset

    def picker_url(self, name: str) -> str:
        params = [("action", self.action)]
        params += [("kind", kind) for kind in self.kinds] + [("category", c) for c in self.categories]
        if self.everywhere:
            params.append(("scope", "all"))
        if self.within is not None and name == "orgs:search":
            params.append(("within", self.within.pk))
        return f"{reverse(name)}?{urlencode(params)}"

    def label_for(self, value) -> str:
        if isinstance(value, Organisation):
            return value.name
        found = (
            self.queryset.filter(pk=value).values_list("name", flat=True).first()
            if str(value).isdigit()
            else None
        )
        return found or ""

    def to_python(self, value):
        if isinstance(value, TypedText):
            return self.resolve_text(str(value))
        return super().to_python(value)

    def resolve_text(self, text: str):
        from django.db.models import Q

        matches = list(
            self.queryset.filter(Q(name=text) | Q(short_name=text) | Q(code__iexact=text)).order_by("path")[
                :6
            ]
        )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            where = "、".join(
                f"{org.name}（{search.parent_names([org]).get(org.path[: -org.steplen], '')}）"
                for org in matches[:5]
            )
            raise forms.ValidationError(
                _("有多个名为“%(name)s”的组织，请从列表中选择：%(where)s") % {"name": text, "where": where},
                code="ambiguous",
            )
        suggestions = search.search_organisations(
            self.user,
            text,
            self.action,
            within=self.within,
            limit=5,
            kinds=self.kinds,
            categories=self.categories,
            everywhere=self.everywhere,
        )
        allowed = set(
            self.queryset.filter(pk__in=[org.pk for org in suggestions]).values_list("pk", flat=True)
        )
        suggestions = [org for org in suggestions if org.pk in allowed]
        if len(suggestions) == 1:
            return suggestions[0]
        if suggestions:
            raise forms.ValidationError(
                _("未找到名为“%(name)s”的组织，您是否要找：%(names)s？请从列表中选择")
                % {"name": text, "names": "、".join(org.name for org in suggestions)},
                code="invalid_choice",
            )
        raise forms.ValidationError(
            _("未找到名为“%(name)s”的组织，或该组织不在您的管理范围内") % {"name": text},
            code="invalid_choice",
        )


SELECT_LIMIT = 30  # up to this many choices a plain select reads best; beyond it, the picker


def picker_for(
    form, name: str, *, user, action: str = Action.CHANGE, kinds=(), threshold: int = SELECT_LIMIT
):
    """Replace the organisation select `form.fields[name]` by the picker (same queryset, label, help and
    messages) when it offers more than `threshold` organisations: a select of hundreds is unusable."""
    old = form.fields[name]
    if old.queryset.order_by()[: threshold + 1].count() <= threshold:
        return old
    new = OrganisationField(
        user=user,
        action=action,
        kinds=kinds,
        queryset=old.queryset,
        label=old.label,
        required=old.required,
        help_text="",
    )
    new.error_messages.update({k: v for k, v in old.error_messages.items() if k == "invalid_choice"})
    form.fields[name] = new
    return new
