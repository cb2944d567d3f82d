"""One phone form per step, each posting to the engine's service for that step.

`STEP_FORMS[step]` gives the form class and the call that turns its cleaned data into the service
call; `EXTRA_FORMS` are the records that are not a step of their own (notices, objections, sign-offs,
uploads, overrides).  The forms only shape input: gates and validation live in the services, and a
refusal comes back as a `RuleViolation` (shown with its rule id) or a ValidationError per field.
"""

from django import forms
from django.db.models import F

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.members.choices import MemberStatus
from qiangji.members.models import Member
from qiangji.members.selectors import voting_roll
from qiangji.recruitment.choices import (
    DocumentKind,
    MentorRole,
    NoticePurpose,
    Outcome,
    ProbationOutcome,
    SignOffLevel,
)
from qiangji.recruitment.forms.base import PhoneForm, date_field, label_errors
from qiangji.recruitment.models import AdmissionFormRange
from qiangji.recruitment.rules import OVERRIDABLE, path_and_ancestors

SIGN_OUTCOMES = [
    (Outcome.PASS, Outcome.PASS.label),
    (Outcome.FAIL, Outcome.FAIL.label),
    (Outcome.RETURN, Outcome.RETURN.label),
]


def _text(label, required=True, max_length=2000, rows=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


def _count(label, required=True):
    return forms.IntegerField(
        label=label, required=required, min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class StepForm(PhoneForm):
    """A step's date plus its own fields; `case` and `user` let fields offer the right people."""

    date = date_field("日期", required=True)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        self.fields["date"].initial = today()


def full_members(case, user):
    """The branch's full members the user may see (mentors and sponsors must be full members)."""
    return (
        Member.objects.visible_to(user, Action.VIEW)
        .filter(organisation_id=case.organisation_id, status=MemberStatus.FULL)
        .order_by("name_pinyin")
    )


class TalkForm(StepForm):
    talker = forms.CharField(label="谈话人", max_length=50)
    summary = _text("谈话情况", required=False, rows=3)


class BasisForm(StepForm):
    basis = _text("依据（推荐、推优、听取意见情况）", required=False, rows=3)


class NoteForm(StepForm):
    note = _text("说明", required=False, rows=2)


class PeopleForm(StepForm):
    members = forms.ModelMultipleChoiceField(
        label="党员", queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = full_members(self.case, self.user)


class MentorsForm(PeopleForm):
    role = forms.ChoiceField(
        label="类别",
        choices=MentorRole.choices,
        initial=MentorRole.GENERAL,
        help_text="同时指定政治、业务培养联系人时分两次登记",
    )


class AssessmentForm(StepForm):
    summary = _text("考察情况", rows=4)


class VettingForm(StepForm):
    reviewer_name = forms.CharField(label="审查人", max_length=50)
    outcome = forms.ChoiceField(label="结论", choices=[(Outcome.PASS, "合格"), (Outcome.FAIL, "不合格")])
    conclusion = _text("书面结论", rows=4)


class TrainingForm(StepForm):
    ended_on = date_field("结束日期", required=True)
    provider = forms.CharField(label="培训单位", max_length=200)
    days = forms.DecimalField(label="天数", min_value=0, max_digits=5, decimal_places=1, required=False)
    hours = forms.DecimalField(label="学时", min_value=0, max_digits=6, decimal_places=1, required=False)
    certificate = forms.CharField(label="结业证书编号", max_length=60, required=False)


class SignOffForm(StepForm):
    person_name = forms.CharField(label="签署人", max_length=50)
    outcome = forms.ChoiceField(label="结果", choices=SIGN_OUTCOMES)
    reason = _text("意见/理由", required=False, rows=3, max_length=2000)


class GenericSignOffForm(SignOffForm):
    level = forms.ChoiceField(label="层级", choices=SignOffLevel.choices)


ATTENDANCE = [("for", "到会·赞成"), ("against", "到会·反对"), ("abstain", "到会·弃权"), ("absent", "缺席")]
WRITTEN = [("", "无书面意见"), ("for", "书面赞成"), ("against", "书面反对"), ("abstain", "书面弃权")]


class BallotForm(StepForm):
    """Branch general meeting: the branch's members entitled to vote on the day (full members on the roll,
    none under 留党察看), each marked present with a vote or absent with the reason (nothing ticked by
    default); the platform computes entitled, present, quorum and the > ½ rule from the list."""

    chair = forms.CharField(label="主持人", max_length=50, required=False)
    minutes = _text("会议记录摘要", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day = self._day()
        self.roll = list(voting_roll(self.case.organisation, day))
        self.roll_day = day
        for member in self.roll:
            key = f"m{member.pk}"
            self.fields[key] = forms.ChoiceField(
                label=member.name, choices=ATTENDANCE, widget=forms.RadioSelect, required=True
            )
            self.fields[f"{key}_reason"] = forms.CharField(
                label=f"{member.name} 缺席原因", max_length=200, required=False
            )
            self.fields[f"{key}_written"] = forms.ChoiceField(
                label=f"{member.name} 会前书面意见", choices=WRITTEN, required=False
            )
        observers = (
            Member.objects.visible_to(self.user, Action.VIEW)
            .filter(organisation_id=self.case.organisation_id, status=MemberStatus.PROBATIONARY)
            .order_by("name_pinyin")
        )
        self.fields["probationary_present"] = forms.ModelMultipleChoiceField(
            label="列席的预备党员（无表决权）",
            queryset=observers,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["date"].help_text = (
            f"有表决权的正式党员按 {day:%Y-%m-%d} 的党员名册列出（共{len(self.roll)}人）；"
            "改了日期请先刷新名单"
        )
        label_errors(self)

    def _day(self):
        raw = self.data.get("date") if self.is_bound else None
        try:
            return self.fields["date"].clean(raw) if raw else today()
        except forms.ValidationError:
            return today()

    def clean(self):
        cleaned = super().clean()
        for member in self.roll:
            key = f"m{member.pk}"
            if cleaned.get(key) == "absent" and not (cleaned.get(f"{key}_reason") or "").strip():
                self.add_error(f"{key}_reason", f"{member.name} 缺席原因：缺席须写明原因")
        return cleaned

    def ballot_values(self) -> dict:
        """The service's input: the attendance list and the observers (numbers are computed there)."""
        data, lines = self.cleaned_data, []
        for member in self.roll:
            key = f"m{member.pk}"
            mark = data.get(key)
            if mark == "absent":
                lines.append(
                    {
                        "member": member.pk,
                        "present": False,
                        "reason": data.get(f"{key}_reason") or "",
                        "written_opinion": data.get(f"{key}_written") or None,
                    }
                )
            else:
                lines.append({"member": member.pk, "present": True, "vote": mark})
        return {
            "date": data["date"],
            "attendance": lines,
            "chair": data.get("chair") or "",
            "minutes": data.get("minutes") or "",
            "probationary_present": [m.pk for m in data.get("probationary_present") or []],
        }


class AdmissionMeetingForm(BallotForm):
    pass


class ConfirmationMeetingForm(BallotForm):
    outcome = forms.ChoiceField(label="讨论结果", choices=ProbationOutcome.choices)
    months = forms.IntegerField(label="延长月数（6–12）", min_value=1, max_value=24, required=False)
    reason = _text("理由（延长或取消时必填）", required=False, rows=2)


class OathForm(StepForm):
    place = forms.CharField(label="宣誓地点", max_length=200, required=False)


class ArchiveForm(StepForm):
    allow_missing = forms.BooleanField(label="材料不全仍归档（将记录缺少的材料）", required=False)


class AdmissionFormIssueForm(StepForm):
    """Step 14: the number comes from a range held above the branch (the page says which and who issues)."""

    form_range = forms.ModelChoiceField(
        label="编号段",
        queryset=AdmissionFormRange.objects.none(),
        required=False,
        empty_label="自动（最早领取、仍有余号的编号段）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_range"].queryset = AdmissionFormRange.objects.filter(
            org_path__in=path_and_ancestors(self.case.org_path), next_number__lte=F("last_number")
        ).order_by("received_on", "id")


class NoticeForm(PhoneForm):
    purpose = forms.ChoiceField(label="公示事项", choices=NoticePurpose.choices)
    starts_on = date_field("开始日期", required=True)
    working_days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=60, initial=5)
    place = forms.CharField(label="公示地点", max_length=200)
    text_ = _text("公示内容", rows=5)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text_"].label = "公示内容"


class ObjectionForm(PhoneForm):
    received_on = date_field("收到日期", required=True)
    summary = _text("反映内容", rows=4)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ResolveForm(PhoneForm):
    resolved_on = date_field("处理日期", required=True)
    resolution = _text("处理结果", rows=4)
    upheld = forms.BooleanField(
        label="反映问题属实", required=False, help_text="属实时不能继续办理，须由审批党委记录例外"
    )

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class OverrideForm(PhoneForm):
    rule_code = forms.ChoiceField(label="关卡")
    reason = _text("书面理由", rows=4)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = [(code, code) for code in sorted(OVERRIDABLE)]


class DocumentForm(PhoneForm):
    kind = forms.ChoiceField(label="材料类别", choices=DocumentKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    file = forms.FileField(label="文件", help_text="PDF 或图片，不超过 5 MB")

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
