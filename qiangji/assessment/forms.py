"""Forms of the assessment pages; each view passes the cleaned data to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qiangji.assessment.choices import (
    STAR_CHOICES,
    AccountabilityDecision,
    AdjustmentKind,
    AppealDecision,
    NomineeKind,
    ReportGrade,
)

STARS = [(str(n), label) for n, label in STAR_CHOICES]


class StarsForm(forms.Form):
    stars = forms.TypedChoiceField(label=_("星级"), choices=STARS, coerce=int)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoticeForm(forms.Form):
    starts_on = forms.DateField(label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("0", _("异议不属实，维持")), ("1", _("异议属实，改定星级"))],
        coerce=lambda v: v == "1",
    )
    stars = forms.TypedChoiceField(
        label=_("改定星级"), choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None
    )
    resolution = forms.CharField(
        label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FinaliseForm(forms.Form):
    pass


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[
            (AppealDecision.UPHELD, AppealDecision.UPHELD.label),
            (AppealDecision.REJECTED, AppealDecision.REJECTED.label),
        ],
    )
    stars = forms.TypedChoiceField(
        label=_("改定星级"), choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ManualScoreForm(forms.Form):
    points = forms.DecimalField(label=_("得分"), min_value=0, max_digits=7, decimal_places=2)
    evidence = forms.CharField(label=_("佐证"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AdjustmentKind.choices)
    points = forms.DecimalField(label=_("分值（一票否决填0）"), min_value=0, max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("事由"), max_length=255)
    evidence = forms.CharField(label=_("佐证"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ExampleSetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class ComputeForm(forms.Form):
    as_of = forms.DateField(
        label=_("计算日期（默认今天）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class PlanForm(forms.Form):
    measures = forms.CharField(label=_("整顿措施"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    responsible = forms.CharField(label=_("责任人"), max_length=50)


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label=_("整改佐证"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class SignOffForm(forms.Form):
    note = forms.CharField(label=_("验收意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    secretary_name = forms.CharField(label=_("书记姓名"), max_length=50)
    report = forms.CharField(label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class ReviewForm(forms.Form):
    meeting_on = forms.DateField(label=_("评议会日期"), widget=forms.DateInput(attrs={"type": "date"}))
    scores = forms.CharField(
        label=_("评分（每行：评议人 分数 意见）"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )

    def clean_scores(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["scores"].splitlines(), start=1):
            parts = line.split(maxsplit=2)
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(_("第%(n)s行应为：评议人 分数 意见") % {"n": number})
            rows.append(
                {"reviewer": parts[0], "points": parts[1], "comment": parts[2] if len(parts) > 2 else ""}
            )
        return rows


class GradeForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("等次（空 = 按平均分）"), choices=[("", "—"), *ReportGrade.choices], required=False
    )
    note = forms.CharField(
        label=_("定等说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("问题及整改要求"), max_length=255)
    deadline = forms.DateField(label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseFollowUpForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), max_length=255)


class AccountabilityForm(forms.Form):
    decision = forms.ChoiceField(label=_("处理决定"), choices=AccountabilityDecision.choices)
    reason = forms.CharField(label=_("处理理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("推荐对象"), choices=NomineeKind.choices)
    member = forms.IntegerField(
        label=_("党员编号（推荐党员时）"), required=False, min_value=1, max_value=2**63 - 1
    )
    team_name = forms.CharField(label=_("团队名称（推荐团队时）"), max_length=200, required=False)
    award = forms.CharField(label=_("表彰名称"), max_length=120)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("主要事迹"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class NominationReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结果"), choices=[("1", _("通过")), ("0", _("不通过"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
