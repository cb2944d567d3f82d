"""Forms of the committee's tools: admission-form ranges, annual plans, file audits."""

from django import forms

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.orgs.choices import BRANCH_KINDS, OrgKind
from qiangji.orgs.fields import picker_for
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import FindingStatus, PlanGroup
from qiangji.recruitment.forms.base import PhoneForm, date_field


def org_field(user, form, *, committees_only=False) -> None:
    orgs = Organisation.objects.visible_to(user, Action.CHANGE).filter(dissolved_on__isnull=True)
    if committees_only:
        orgs = orgs.exclude(kind__in=BRANCH_KINDS)
    form.fields["organisation"].queryset = orgs
    kinds = [kind for kind in OrgKind.values if kind not in BRANCH_KINDS] if committees_only else ()
    picker_for(form, "organisation", user=user, action=Action.CHANGE, kinds=kinds)


class FormRangeForm(PhoneForm):
    organisation = forms.ModelChoiceField(label="管理单位", queryset=Organisation.objects.none())
    prefix = forms.CharField(label="编号前缀", max_length=20, required=False)
    first_number = forms.IntegerField(label="起始号", min_value=1)
    last_number = forms.IntegerField(label="终止号", min_value=1)
    width = forms.IntegerField(label="号码位数", min_value=1, max_value=12, initial=6)
    received_on = date_field("领取日期", required=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        org_field(user, self, committees_only=True)


class PlanForm(PhoneForm):
    organisation = forms.ModelChoiceField(label="党组织", queryset=Organisation.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    group = forms.ChoiceField(label="类别", choices=PlanGroup.choices)
    planned = forms.IntegerField(label="计划发展数", min_value=0)
    note = forms.CharField(label="说明", max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        org_field(user, self)
        self.initial.setdefault("year", today().year)


class FileAuditForm(PhoneForm):
    organisation = forms.ModelChoiceField(label="组织部门（抽查范围）", queryset=Organisation.objects.none())
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        help_text="抽查该年度发展的党员（支部大会通过接收的日期在该年）",
    )
    ratio = forms.DecimalField(
        label="抽查比例（%）", min_value=0.01, max_value=100, decimal_places=2, initial=10
    )
    seed = forms.CharField(
        label="随机种子",
        max_length=40,
        required=False,
        help_text="留空则自动生成；同一种子抽出的档案相同，便于复核",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        org_field(user, self, committees_only=True)
        self.initial.setdefault("year", today().year)


class FindingForm(PhoneForm):
    step = forms.IntegerField(label="涉及步骤", min_value=1, max_value=25, required=False)
    description = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 3}))
    found_on = date_field("发现日期", required=True)
    due_on = date_field("整改期限")


class CorrectionForm(PhoneForm):
    status = forms.ChoiceField(
        label="状态",
        choices=[
            (FindingStatus.CORRECTED, FindingStatus.CORRECTED.label),
            (FindingStatus.ACCEPTED, FindingStatus.ACCEPTED.label),
        ],
    )
    corrected_on = date_field("整改日期", required=True)
    correction = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
