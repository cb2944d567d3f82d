"""Forms of the governance pages; they only collect input, the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qiangji.core.choices import Action
from qiangji.governance.choices import Choice, Outcome, PointKind, StepRole, VisitKind, VoteKind
from qiangji.governance.models import PowerItem
from qiangji.orgs.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"})
VILLAGE_CATEGORIES = ("rural", "community")


def villages_for(user):
    return (
        Organisation.objects.visible_to(user, Action.CHANGE)
        .filter(category__in=VILLAGE_CATEGORIES, dissolved_on__isnull=True)
        .order_by("path")
    )


class CaseOpenForm(forms.Form):
    village = forms.ModelChoiceField(label=_("村（社区）党组织"), queryset=Organisation.objects.none())
    item = forms.ModelChoiceField(label=_("事项"), queryset=PowerItem.objects.none())
    applicant_name = forms.CharField(
        label=_("申请人姓名"), max_length=50, help_text=_("公开页面上只显示遮蔽后的姓名")
    )
    subject = forms.CharField(label=_("事由"), max_length=200)
    opened_on = forms.DateField(label=_("受理日期"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user)
        self.fields["item"].queryset = PowerItem.objects.visible_to(user).filter(is_active=True)


class StepForm(forms.Form):
    """One step of a case, built from the step's template (documents to tick, a notice text if it is one)."""

    done_on = forms.DateField(label=_("办理日期"), widget=DATE)
    person_name = forms.CharField(label=_("经办人"), max_length=50)
    outcome = forms.ChoiceField(label=_("结果"), choices=Outcome.choices, initial=Outcome.PASS)
    note = forms.CharField(
        label=_("意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, spec: dict, **kwargs):
        super().__init__(*args, **kwargs)
        if spec["required_documents"]:
            self.fields["documents"] = forms.MultipleChoiceField(
                label=_("已提交材料"),
                choices=[(doc, doc) for doc in spec["required_documents"]],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        if spec["notice_days"]:
            self.fields["notice_text"] = forms.CharField(
                label=_("公示内容"),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("姓名须遮蔽（如 张*三），不得含身份证号码、电话号码；公示期 %(days)s 天")
                % {"days": spec["notice_days"]},
            )


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("核实结论"),
        choices=[("0", _("异议不成立，继续办理")), ("1", _("异议成立，终止办理"))],
        coerce=lambda value: value == "1",
    )
    resolution = forms.CharField(label=_("核实处理意见"), max_length=500)
    resolved_on = forms.DateField(label=_("处理日期"), widget=DATE)


class StepTemplateForm(forms.Form):
    order = forms.IntegerField(label=_("顺序"), min_value=1, max_value=30)
    name = forms.CharField(label=_("环节"), max_length=60)
    role = forms.ChoiceField(label=_("办理主体"), choices=StepRole.choices)
    time_limit_days = forms.IntegerField(
        label=_("办理时限（日）"), min_value=0, max_value=365, required=False
    )
    required_documents = forms.CharField(
        label=_("须提交材料"),
        required=False,
        help_text=_("每行一项"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notice_days = forms.IntegerField(label=_("公示天数（0为不公示）"), min_value=0, max_value=365, initial=0)

    def clean_required_documents(self):
        return [line.strip() for line in self.cleaned_data["required_documents"].splitlines() if line.strip()]


class ReportForm(forms.Form):
    content = forms.CharField(label=_("举报内容"), widget=forms.Textarea(attrs={"rows": 5}))
    named_text = forms.CharField(label=_("被反映人"), max_length=200, required=False)
    named_users = forms.MultipleChoiceField(
        label=_("被反映人是本村以下干部（可多选）"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = {str(user.pk): user for user in officers}
        self.fields["named_users"].choices = [
            (pk, user.get_full_name() or user.get_username()) for pk, user in self.officers.items()
        ]

    def clean_named_users(self):
        return [self.officers[pk] for pk in self.cleaned_data["named_users"] if pk in self.officers]


class CloseReportForm(forms.Form):
    outcome = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 4}))
    closed_on = forms.DateField(label=_("办结日期"), widget=DATE)


class ContactForm(forms.Form):
    username = forms.CharField(label=_("账号"), max_length=150)
    role = forms.ChoiceField(
        label=_("身份"), choices=[("discipline", _("村纪检委员")), ("supervision", _("村务监督委员会"))]
    )


# ----- decisions ----------------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    village = forms.ModelChoiceField(label=_("村（社区）党组织"), queryset=Organisation.objects.none())
    matter = forms.ChoiceField(label=_("事项类别（本县村级重大事项决策清单）"))
    title = forms.CharField(label=_("事项"), max_length=200)
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    description = forms.CharField(label=_("提议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_on = forms.DateField(label=_("提议日期"), widget=DATE)

    def __init__(self, *args, user, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user)
        self.fields["matter"].choices = [
            (
                rule.matter,
                f"{rule.label}" + (f"（{rule.money_threshold}元以上）" if rule.money_threshold else ""),
            )
            for rule in rules
        ]


class DiscussForm(forms.Form):
    discussed_on = forms.DateField(label=_("商议日期"), widget=DATE)
    attendees = forms.CharField(label=_("参加商议的两委成员"), max_length=300)
    note = forms.CharField(label=_("商议意见"), widget=forms.Textarea(attrs={"rows": 3}))


class VoteForm(forms.Form):
    """One row per person on the roll: a vote if present, else absent with a reason."""

    held_on = forms.DateField(label=_("会议日期"), widget=DATE)

    def __init__(self, *args, roll, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.roll = kind, list(roll)
        choices = [*Choice.choices, ("absent", _("缺席"))]
        for person in self.roll:
            self.fields[f"p_{person.pk}"] = forms.ChoiceField(
                label=person.name, choices=choices, widget=forms.RadioSelect
            )
            self.fields[f"r_{person.pk}"] = forms.CharField(
                label=_("%(name)s 缺席原因") % {"name": person.name}, required=False, max_length=200
            )

    def attendance(self) -> list[dict]:
        key = "member" if self.kind == VoteKind.PARTY_MEMBERS else "representative"
        lines = []
        for person in self.roll:
            answer = self.cleaned_data.get(f"p_{person.pk}")
            lines.append(
                {
                    key: person.pk,
                    "present": answer != "absent",
                    "vote": "" if answer == "absent" else answer,
                    "reason": self.cleaned_data.get(f"r_{person.pk}", ""),
                }
            )
        return lines


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("公开日期"), widget=DATE)
    text = forms.CharField(
        label=_("公开内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("不得含身份证号码、电话号码"),
    )


class PreReviewForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("审核意见"), choices=[("1", _("同意")), ("0", _("退回"))], coerce=lambda value: value == "1"
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    reviewed_on = forms.DateField(label=_("审核日期"), widget=DATE)


class ExecuteForm(forms.Form):
    executed_on = forms.DateField(label=_("实施日期"), widget=DATE)
    note = forms.CharField(label=_("实施情况"), widget=forms.Textarea(attrs={"rows": 3}))


class RuleForm(forms.Form):
    label = forms.CharField(label=_("事项"), max_length=100)
    money_threshold = forms.DecimalField(
        label=_("金额标准（元，空为不论金额）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


# ----- contact points -------------------------------------------------------------------------------------


class PointForm(forms.Form):
    village = forms.ModelChoiceField(
        label=_("联系点（村、党组织、企业或平台）"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("类型"), choices=PointKind.choices)
    leader_name = forms.CharField(label=_("联系领导"), max_length=50)
    leader_title = forms.CharField(label=_("职务"), max_length=60, required=False)
    since = forms.DateField(label=_("建立日期"), widget=DATE)
    interval_months = forms.IntegerField(label=_("走访间隔（月）"), min_value=1, max_value=24, initial=3)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = (
            Organisation.objects.visible_to(user, Action.CHANGE)
            .filter(dissolved_on__isnull=True)
            .order_by("path")
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=VisitKind.choices)
    visited_on = forms.DateField(label=_("日期"), widget=DATE)
    until = forms.DateField(label=_("蹲点至（蹲点调研）"), widget=DATE, required=False)
    people = forms.CharField(label=_("参加人员"), max_length=300)
    summary = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 3}))
    report = forms.CharField(
        label=_("调研报告（蹲点调研必填）"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    photos = MultipleFileField(label=_("照片"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in (1, 2, 3):
            self.fields[f"finding_{index}"] = forms.CharField(
                label=_("发现问题 %(n)s") % {"n": index}, required=False, max_length=2000
            )
            self.fields[f"owner_{index}"] = forms.CharField(
                label=_("问题 %(n)s 责任人（单位）") % {"n": index}, required=False, max_length=100
            )
            self.fields[f"deadline_{index}"] = forms.DateField(
                label=_("问题 %(n)s 整改时限") % {"n": index}, required=False, widget=DATE
            )

    def findings(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data[f"finding_{i}"],
                "owner_name": data[f"owner_{i}"],
                "deadline": data[f"deadline_{i}"],
            }
            for i in (1, 2, 3)
            if data.get(f"finding_{i}")
        ]


class CloseFindingForm(forms.Form):
    evidence = forms.CharField(
        label=_("销号佐证（整改情况、材料）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    closed_on = forms.DateField(label=_("销号日期"), widget=DATE)
