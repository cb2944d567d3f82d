"""Step 1 (a written application received by the branch) and moving a case to another branch."""

from django import forms

from qiangji.core.choices import Action
from qiangji.members.choices import ETHNICITIES, Education, Sex
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.fields import SELECT_LIMIT, picker_for
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import PlanGroup
from qiangji.recruitment.forms.base import PhoneForm, date_field


def _blank(choices):
    return [("", "—")] + list(choices)


def branch_field(user, form, name="organisation", exclude=None) -> None:
    """The branches the user may change, preselected when there is only one."""
    branches = Organisation.objects.visible_to(user, Action.CHANGE).filter(
        kind__in=BRANCH_KINDS, dissolved_on__isnull=True
    )
    if exclude is not None:
        branches = branches.exclude(pk=exclude)
    field = form.fields[name]
    field.queryset = branches
    count = branches.count()
    if count > SELECT_LIMIT:
        picker_for(form, name, user=user, action=Action.CHANGE, kinds=BRANCH_KINDS)
    elif count == 1 and not form.is_bound:
        form.initial.setdefault(name, branches.first().pk)


class ApplicationForm(PhoneForm):
    organisation = forms.ModelChoiceField(
        label="接收申请的党支部", queryset=Organisation.objects.none(), empty_label="请选择党支部"
    )
    applied_on = date_field("递交申请书日期", required=True)
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份证号", max_length=18, min_length=18)
    sex = forms.ChoiceField(
        label="性别",
        choices=_blank(Sex.choices),
        required=False,
        help_text="可不填，按公民身份证号第17位确定",
    )
    birth_date = date_field("出生日期", help_text="可不填，按公民身份证号确定")
    ethnicity = forms.ChoiceField(label="民族", choices=_blank(ETHNICITIES), required=False)
    education = forms.ChoiceField(label="学历", choices=_blank(Education.choices), required=False)
    employer = forms.CharField(label="工作单位", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="家庭住址", max_length=255, required=False)
    group = forms.ChoiceField(
        label="发展对象类别",
        choices=PlanGroup.choices,
        initial=PlanGroup.OTHER,
        help_text="用于年度发展计划统计",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branch_field(user, self)
        self.fields["organisation"].error_messages["invalid_choice"] = "接收申请的党支部：不在您的管辖范围内"

    def values(self) -> dict:
        skip = {"organisation", "applied_on", "group"}
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in skip and value not in ("", None)
        }


class TransferForm(PhoneForm):
    organisation = forms.ModelChoiceField(
        label="接收党支部", queryset=Organisation.objects.none(), empty_label="请选择党支部"
    )
    transferred_on = date_field("转接日期", required=True)
    reason = forms.CharField(label="原因", max_length=255)

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        branch_field(user, self, exclude=case.organisation_id)
