"""HTML forms of organisational life.  They only shape input; the rules live in `life.services`, so a
form, the API and a job refuse the same things with the same Chinese messages (naming the field)."""

import datetime

from django import forms

from qiangji.life.choices import AttachmentKind, Grade, PeriodKind
from qiangji.life.models import MeetingType

PRESENT, ABSENT, LEAVE = "present", "absent", "leave"
ATTENDANCE_CHOICES = [(PRESENT, "出席"), (ABSENT, "缺席"), (LEAVE, "请假")]
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "image/gif")
MAX_UPLOAD = 10 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def label_errors(form) -> None:
    """Every built-in error names its field, in Chinese."""
    form.label_suffix = ""
    for field in form.fields.values():
        label = field.label
        field.error_messages.update(
            {
                "required": f"{label}：必填",
                "invalid": f"{label}：格式不正确",
                "invalid_choice": f"{label}：选项无效",
                "max_length": f"{label}：过长",
                "min_value": f"{label}：数值过小",
                "max_value": f"{label}：数值过大",
                "max_digits": f"{label}：数值过长",
                "max_decimal_places": f"{label}：小数位过多",
                "empty": f"{label}：文件为空",
                "missing": f"{label}：请选择文件",
            }
        )


class LifeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_errors(self)


def _lines(text: str) -> list[str]:
    return [line.strip(" \t-·•、") for line in (text or "").splitlines() if line.strip(" \t-·•、")]


class ThemeForm(LifeForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    title = forms.CharField(label="主题", max_length=200)
    text = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    required_items = forms.CharField(
        label="规定动作",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项，如：集中学习一小时、集中交纳党费、重温入党誓词",
    )
    optional_items = forms.CharField(
        label="自选动作",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项，可不填",
    )

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [{"kind": "required", "title": t} for t in _lines(data["required_items"])] + [
            {"kind": "optional", "title": t} for t in _lines(data["optional_items"])
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not _lines(data.get("required_items", "")):
            self.add_error("required_items", "规定动作：至少填写一项（主题党日须有规定动作）")
        return data


class ChecklistItemForm(LifeForm):
    kind = forms.ChoiceField(label="类别", choices=[("required", "规定动作"), ("optional", "自选动作")])
    title = forms.CharField(label="内容", max_length=200)
    description = forms.CharField(label="要求", max_length=500, required=False)


def meeting_type_field(**kwargs):
    return forms.ModelChoiceField(
        label="会议类型", queryset=MeetingType.objects.all(), empty_label="请选择会议类型", **kwargs
    )


class PlanForm(LifeForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=200, required=False, help_text="可不填，自动生成")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PlanItemForm(LifeForm):
    meeting_type = meeting_type_field()
    planned_on = forms.DateField(label="计划日期", widget=DateInput())
    title = forms.CharField(
        label="内容", max_length=200, required=False, help_text="可不填，默认为会议类型名称"
    )


class ReasonForm(LifeForm):
    reason = forms.CharField(
        label="理由", max_length=255, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ScheduleForm(LifeForm):
    meeting_type = meeting_type_field()
    planned_on = forms.DateField(label="计划日期", widget=DateInput())
    starts_at = forms.TimeField(label="开始时间", required=False, widget=TimeInput())
    title = forms.CharField(
        label="会议名称",
        max_length=200,
        required=False,
        help_text="可不填：主题党日自动使用上级发布的当月主题",
    )
    place = forms.CharField(label="地点", max_length=200, required=False)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("starts_at", "place") if data.get(k)}


class RecordForm(LifeForm):
    """The phone form for the record: what happened, by whom, what was decided."""

    held_on = forms.DateField(
        label="召开日期", required=False, widget=DateInput(), help_text="会议召开后填写；不能晚于今天"
    )
    title = forms.CharField(label="会议名称", max_length=200)
    starts_at = forms.TimeField(label="开始时间", required=False, widget=TimeInput())
    place = forms.CharField(label="地点", max_length=200, required=False)
    host = forms.CharField(label="主持人", max_length=50, required=False)
    recorder = forms.CharField(label="记录人", max_length=50, required=False)
    lecturer = forms.CharField(label="授课人", max_length=50, required=False)
    study_hours = forms.DecimalField(
        label="学习时长（小时）",
        required=False,
        min_value=0,
        max_value=24,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    agenda = forms.CharField(label="议程", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(label="决定事项", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS = (
        "title",
        "starts_at",
        "place",
        "host",
        "recorder",
        "lecturer",
        "agenda",
        "minutes",
        "decisions",
        "study_hours",
    )

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class AttendanceForm(LifeForm):
    member = forms.IntegerField(label="党员", min_value=1)
    status = forms.ChoiceField(label="出席情况", choices=ATTENDANCE_CHOICES)
    absence_reason = forms.CharField(label="缺席原因", max_length=200, required=False)
    as_guest = forms.BooleanField(label="列席", required=False)

    def service_kwargs(self) -> dict:
        status = self.cleaned_data["status"]
        if self.cleaned_data["as_guest"]:
            return {"status": status if status != LEAVE else ABSENT, "as_guest": True}
        reason = self.cleaned_data["absence_reason"].strip()
        if status == LEAVE:
            return {"status": "absent", "leave_approved": True, "absence_reason": reason or "请假"}
        return {
            "status": status,
            "leave_approved": False,
            "absence_reason": reason if status == ABSENT else "",
        }


def _check_upload(upload, *, image: bool):
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError("文件不能超过10MB")
    if image and getattr(upload, "content_type", "") not in IMAGE_TYPES:
        raise forms.ValidationError("照片须为 JPG、PNG、WEBP 或 HEIC 图片")
    return upload


class ChecklistForm(LifeForm):
    done = forms.TypedChoiceField(
        label="完成情况",
        choices=[("1", "已完成"), ("0", "未完成")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(label="完成情况/佐证", max_length=500, required=False)
    photo = forms.FileField(
        label="佐证照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    skipped_reason = forms.CharField(label="未完成理由", max_length=255, required=False)

    def clean_photo(self):
        try:
            return _check_upload(self.cleaned_data.get("photo"), image=True)
        except forms.ValidationError as error:
            raise forms.ValidationError(f"佐证照片：{error.messages[0]}")


class AttachmentForm(LifeForm):
    kind = forms.ChoiceField(label="类型", choices=AttachmentKind.choices)
    file = forms.FileField(label="文件")
    caption = forms.CharField(label="说明", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        try:
            _check_upload(data.get("file"), image=data.get("kind") == AttachmentKind.PHOTO)
        except forms.ValidationError as error:
            self.add_error("file", f"文件：{error.messages[0]}")
        return data


class CodeForm(LifeForm):
    minutes = forms.IntegerField(label="有效时长（分钟）", required=False, min_value=1, max_value=1440)


class ExemptionForm(LifeForm):
    organisation = forms.ModelChoiceField(label="党支部", queryset=None, empty_label="请选择党支部")
    meeting_type = forms.ModelChoiceField(
        label="会议类型",
        queryset=MeetingType.objects.filter(is_required=True),
        required=False,
        empty_label="全部类型",
    )
    starts_on = forms.DateField(label="起始日期", widget=DateInput())
    ends_on = forms.DateField(label="截止日期", widget=DateInput())
    reason = forms.CharField(label="理由", max_length=255, help_text="如：党支部正在撤销、合并")

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = branches


class PeriodForm(LifeForm):
    period = forms.ChoiceField(label="统计周期", choices=PeriodKind.choices, required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(
        label="月/季度",
        min_value=1,
        max_value=12,
        required=False,
        help_text="按月填1–12，按季度填1–4，按年不填",
    )
    missing = forms.BooleanField(label="只看未达标", required=False)

    def resolved(self, today: datetime.date) -> tuple[str, int, int]:
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("period") or PeriodKind.MONTH
        year = data.get("year") or today.year
        default = {PeriodKind.MONTH: today.month, PeriodKind.QUARTER: (today.month - 1) // 3 + 1}.get(kind, 1)
        return kind, year, data.get("number") or default


class AppraisalOpenForm(LifeForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class AppraisalWriteForm(LifeForm):
    kind = forms.ChoiceField(label="类别", choices=[("self", "自评"), ("mutual", "互评"), ("vote", "测评票")])
    subject = forms.IntegerField(label="被评议人", min_value=1)
    comment = forms.CharField(label="评议意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    grade = forms.ChoiceField(label="等次", choices=[("", "—")] + list(Grade.choices), required=False)


class GradeForm(LifeForm):
    member = forms.IntegerField(label="党员", min_value=1)
    grade = forms.ChoiceField(label="评定等次", choices=Grade.choices)
    note = forms.CharField(label="说明", max_length=500, required=False)
