"""Forms collect input; the services validate the rules and write.  Errors come back by field."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from qiangji.core.choices import Action, Role
from qiangji.orgs import membership
from qiangji.orgs.choices import Post
from qiangji.orgs.fields import OrganisationField
from qiangji.orgs.models import Organisation

ORG_FORM_FIELDS = [
    "name",
    "short_name",
    "kind",
    "category",
    "code",
    "national_id",
    "division_code",
    "address",
    "latitude",
    "longitude",
    "founded_on",
    "contact_person",
    "contact_phone",
    "unit_relation",
    "unit_name",
    "unit_nature",
    "credit_code",
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORG_FORM_FIELDS
        widgets = {"founded_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = "留空则自动生成"

    def _post_clean(self):
        """Model validation (unique code) runs in the service, so the form does not write to the instance."""


def ManagedOrganisationField(user, **kwargs) -> OrganisationField:
    """An active organisation the user may restructure, chosen by name or pinyin (orgs.fields) with the tree."""
    return OrganisationField(user=user, action=Action.MANAGE_TREE, **kwargs)


class MoveForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"] = ManagedOrganisationField(
            user, label="新的上级组织", help_text="移动后其全部下级组织与党员随之移动"
        )


class MergeForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = ManagedOrganisationField(user, label="并入组织")

    on = forms.DateField(label="合并日期", widget=DATE_WIDGET)


class DissolveForm(forms.Form):
    on = forms.DateField(label="撤销日期", widget=DATE_WIDGET)
    reason = forms.CharField(label="撤销原因", max_length=255)


class GrantForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError("未找到该用户名对应的有效用户")
        self.cleaned_data["user"] = user
        return username


class CommitteeForm(forms.Form):
    elected_on = forms.DateField(label="选举日期", widget=DATE_WIDGET)
    note = forms.CharField(label="备注", max_length=255, required=False)


class SeatForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    member = forms.ModelChoiceField(
        label="对应党员", queryset=None, required=False
    )  # set per form: `members`
    post = forms.ChoiceField(label="职务", choices=[("", "—")] + Post.choices, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members

    def as_seat(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("name") or data.get("member") or data.get("post")):
            return None
        return {"name": data.get("name", ""), "member": data.get("member"), "post": data.get("post") or ""}


SeatFormSet = forms.formset_factory(SeatForm, extra=7, max_num=7)


def seat_members(org, user):
    """Full members of the organisation's subtree, as the user sees them (docs/rules.md §2: only full members stand)."""
    return membership.full_members(org, user)
