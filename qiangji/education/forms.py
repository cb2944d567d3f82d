"""Forms of the education app; they hand their data to the services and never write themselves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qiangji.education.choices import Channel, FundingSource, Provider, SiteKind


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("培训名称"), max_length=200)
    held_on = forms.DateField(label=_("培训日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("学时"),
        min_value=0.5,
        max_digits=6,
        decimal_places=1,
        help_text=_("最小单位0.5学时；1天计8学时"),
    )
    provider = forms.ChoiceField(label=_("组织方"), choices=Provider.choices)
    channel = forms.ChoiceField(label=_("方式"), choices=Channel.choices)
    concentrated = forms.BooleanField(label=_("集中培训"), required=False)
    induction = forms.BooleanField(label=_("新任书记任职培训"), required=False)
    evidence = forms.FileField(label=_("佐证材料（PDF/PNG/JPEG）"))


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=200)
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provider = forms.ChoiceField(label=_("组织方"), choices=Provider.choices)
    max_speed_pct = forms.IntegerField(
        label=_("允许的最高倍速（%）"), min_value=100, max_value=200, initial=150
    )


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("章节名称"), max_length=200)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_digits=6, decimal_places=1)
    file = forms.FileField(label=_("文件（视频WebM/MP4、音频WAV/MP3/OGG、PDF）"), required=False)
    body = forms.CharField(
        label=_("图文正文（不上传文件时）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    duration_seconds = forms.IntegerField(
        label=_("时长（秒）"),
        required=False,
        min_value=1,
        max_value=86400,
        help_text=_("WAV文件自动读取；文档为规定阅读时间"),
    )
    checks = forms.IntegerField(label=_("随机检查次数"), min_value=0, max_value=5, initial=1)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=SiteKind.choices)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=100000)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)


class ClassForm(forms.Form):
    title = forms.CharField(label=_("班次名称"), max_length=200)
    starts_on = forms.DateField(label=_("开班日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结业日期"), widget=forms.DateInput(attrs={"type": "date"}))
    site = forms.ModelChoiceField(label=_("教学阵地"), queryset=None, required=False)
    provider = forms.ChoiceField(label=_("组织方"), choices=Provider.choices, initial=Provider.SCHOOL_TOPIC)
    theory_share_min_pct = forms.IntegerField(
        label=_("理论课程最低占比（%）"), min_value=0, max_value=100, initial=50
    )
    completion_pct = forms.IntegerField(
        label=_("结业所需出勤占比（%）"), min_value=0, max_value=100, initial=80
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class QuotaForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("党组织"), queryset=None)
    seats = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = orgs


class EnrolForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=None)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class SessionForm(forms.Form):
    title = forms.CharField(label=_("课程"), max_length=200)
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_digits=5, decimal_places=1)
    is_theory = forms.BooleanField(label=_("理论课程"), required=False, initial=True)
    lecturer = forms.CharField(label=_("授课人"), max_length=50, required=False)


class FundingForm(forms.Form):
    source = forms.ChoiceField(label=_("经费来源"), choices=FundingSource.choices)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0.01, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class GiftImportForm(forms.Form):
    bank = forms.CharField(label=_("题库名称"), max_length=100)
    text = forms.CharField(
        label=_("GIFT 文本"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每题之间空一行：单选 {=对 ~错}，判断 {T}/{F}，填空 {=答案}"),
    )


class ExamForm(forms.Form):
    title = forms.CharField(label=_("考试名称"), max_length=200)
    bank = forms.CharField(label=_("题库名称"), max_length=100)
    pass_mark_pct = forms.IntegerField(label=_("及格分数线（%）"), min_value=1, max_value=100, initial=60)
    time_limit_minutes = forms.IntegerField(
        label=_("考试时长（分钟）"), min_value=1, max_value=600, initial=30
    )
    max_attempts = forms.IntegerField(label=_("允许考试次数"), min_value=1, max_value=20, initial=2)


class LecturerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务/职称"), max_length=100, required=False)
    topics = forms.CharField(label=_("宣讲专题"), max_length=300)
    bio = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BookingForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("预约党组织"), queryset=None)
    topic = forms.CharField(label=_("专题"), max_length=200)
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_digits=5, decimal_places=1)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = orgs
