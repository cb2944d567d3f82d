"""Pickers: search-as-you-type widgets for choosing an organisation or a member by name or pinyin.

`SearchPicker` renders a text box (what the person types or the name picked), a hidden input holding the
chosen id, a result list filled from `search_url?q=…` (JSON `{"results": [{"id", "name", …}]}`) by the
small script `core/picker.js`, and, with `tree_url`, a button opening a tree that loads each level's
children when it is opened (`tree_url?parent=<id>`, rows with `has_children` and `selectable`).

Without the script the text box still works: `value_from_datadict` answers the hidden id when one was
picked, else the typed text as `TypedText`, which the field resolves by name (see `orgs.fields`,
`members.fields`).  Nothing here knows a model: the kernel imports no app.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class TypedText(str):
    """What was typed in the picker's text box when nothing was picked from the list."""


class SearchPicker(forms.Widget):
    template_name = "core/widgets/search_picker.html"
    text_suffix = "_text"

    def __init__(self, attrs=None, *, search_url="", tree_url="", placeholder="", label_for=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.tree_url = tree_url
        self.placeholder = placeholder
        self.label_for = label_for  # value -> display name, set by the field

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.label_for = self.label_for
        return copied

    def value_from_datadict(self, data, files, name):
        picked = (data.get(name) or "").strip()
        if picked:
            return picked
        typed = (data.get(name + self.text_suffix) or "").strip()
        return TypedText(typed) if typed else None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + self.text_suffix not in data

    def format_value(self, value):
        if value is None or value == "":
            return ""
        return str(getattr(value, "pk", value))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        typed = isinstance(value, TypedText)
        shown = ""
        if typed:
            shown = str(value)
        elif value not in (None, ""):
            shown = self.label_for(value) if self.label_for else str(value)
        widget = context["widget"]
        widget.update(
            {
                "value": "" if typed else widget["value"],
                "text_name": name + self.text_suffix,
                "text_value": shown or "",
                "search_url": self.search_url,
                "tree_url": self.tree_url,
                "placeholder": self.placeholder or _("输入名称、拼音或首字母查找"),
            }
        )
        return context


class OrganisationPicker(SearchPicker):
    """An organisation by name or pinyin, plus the tree (`orgs:search`, `orgs:picker-children`)."""


class MemberPicker(SearchPicker):
    """A member by name, pinyin or the last digits of the ID number (`members:search`)."""

    def __init__(self, attrs=None, **kwargs):
        kwargs.setdefault("placeholder", _("输入姓名、拼音或首字母查找"))
        super().__init__(attrs, **kwargs)


class SearchChoiceField(forms.ModelChoiceField):
    """A row of `queryset` chosen with a `SearchPicker` (`search_url` answers the JSON of core/widgets):
    the picked id, or, typed without picking, the one row whose `name_field` equals the text (an ambiguous
    or unknown name is refused with the candidates).  Used for members (`members:search`); organisations
    have their own field with the tree (orgs.fields.OrganisationField)."""

    widget = MemberPicker
    name_field = "name"

    def __init__(self, queryset, *, search_url: str, picker_class=MemberPicker, name_field="name", **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)
        self.name_field = name_field
        self.widget = picker_class(search_url=search_url, label_for=self.label_for)

    def label_for(self, value) -> str:
        if hasattr(value, "pk"):
            return str(getattr(value, self.name_field, value))
        if not str(value).isdigit() or self.queryset is None:
            return ""
        return self.queryset.filter(pk=value).values_list(self.name_field, flat=True).first() or ""

    def to_python(self, value):
        if not isinstance(value, TypedText):
            return super().to_python(value)
        matches = list(self.queryset.filter(**{self.name_field: str(value)})[:6])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(
                _("有多个名为“%(name)s”的记录，请从列表中选择") % {"name": value}, code="ambiguous"
            )
        raise forms.ValidationError(
            _("未找到“%(name)s”，或不在您可选择的范围内，请从列表中选择") % {"name": value},
            code="invalid_choice",
        )
