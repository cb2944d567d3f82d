"""Forms of the request desk; they validate shapes, the services validate rules and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qiangji.service.choices import Audience, Occasion, Outcome, PlaceKind, Rating, RatingTarget, StationKind
from qiangji.service.models import Category, Place

RATINGS = [
    (Rating.SATISFIED, Rating.SATISFIED.label),
    (Rating.BASIC, Rating.BASIC.label),
    (Rating.UNSATISFIED, Rating.UNSATISFIED.label),
]


def category_choices(audience: str | None = None):
    rows = Category.objects.filter(is_active=True)
    return [
        (c.code, f"{c.name}（{c.limit_text}）") for c in rows if audience is None or c.for_audience(audience)
    ]


def place_choices():
    rows = Place.objects.filter(is_active=True).select_related("community").order_by("name")[:500]
    return [("", _("（不清楚，选社区）"))] + [
        (str(p.pk), f"{p.name}（{p.get_kind_display()}）") for p in rows
    ]


class CodeRequestForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PublicRequestForm(forms.Form):
    audience = forms.ChoiceField(label=_("我是"), choices=Audience.choices, initial=Audience.RESIDENT)
    category = forms.ChoiceField(label=_("诉求类别"))
    place = forms.ChoiceField(label=_("所在小区/网格"), required=False)
    community = forms.IntegerField(
        label=_("所在社区（未选小区时）"), required=False, widget=forms.HiddenInput
    )
    address = forms.CharField(label=_("具体地点"), max_length=255, required=False)
    description = forms.CharField(
        label=_("诉求内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    requester_name = forms.CharField(label=_("称呼（可不填）"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    photo = forms.FileField(
        label=_("照片（可不传，5MB以内）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, audience: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(audience)
        self.fields["place"].choices = place_choices()


class OneTapForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("我是"),
        choices=[(Audience.RIDER, Audience.RIDER.label), (Audience.DRIVER, Audience.DRIVER.label)],
    )
    category = forms.ChoiceField(label=_("遇到什么问题"))
    description = forms.CharField(
        label=_("简单说说"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    address = forms.CharField(label=_("在哪里（自动定位失败时填写）"), max_length=255, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    industry = forms.IntegerField(label=_("所属行业党委"), required=False, widget=forms.Select)
    place = forms.ChoiceField(label=_("附近小区/网格"), required=False)
    photo = forms.FileField(
        label=_("照片（可不传）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)

    # phone first: a rider's number is what reaches them again, even if the rest is lost
    field_order = (
        "phone",
        "code",
        "audience",
        "category",
        "description",
        "address",
        "industry",
        "place",
        "photo",
    )

    def __init__(self, *args, industries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (c.code, c.name) for c in Category.objects.filter(is_active=True) if c.audiences != "resident"
        ]
        self.fields["industry"].widget.choices = [("", _("（不清楚）"))] + [
            (o.pk, o.name) for o in industries
        ]
        self.fields["place"].choices = place_choices()


class BehalfForm(forms.Form):
    audience = forms.ChoiceField(label=_("诉求人类别"), choices=Audience.choices)
    category = forms.ChoiceField(label=_("诉求类别"))
    place = forms.ChoiceField(label=_("所在小区/网格"), required=False)
    industry = forms.IntegerField(label=_("行业党委（司机、小哥诉求）"), required=False, widget=forms.Select)
    address = forms.CharField(label=_("具体地点"), max_length=255, required=False)
    description = forms.CharField(
        label=_("诉求内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    requester_name = forms.CharField(label=_("诉求人称呼"), max_length=50, required=False)
    phone = forms.CharField(label=_("诉求人手机号"), max_length=20)

    def __init__(self, *args, industries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["place"].choices = place_choices()
        self.fields["industry"].widget.choices = [("", "—")] + [(o.pk, o.name) for o in industries]


class TextForm(forms.Form):
    text = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ClaimForm(forms.Form):
    note = forms.CharField(label=_("认领说明（可不填）"), max_length=500, required=False)
    department = forms.IntegerField(label=_("以部门名义认领"), required=False, widget=forms.Select)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        if departments:
            self.fields["department"].widget.choices = [("", "—")] + [(d.pk, d.name) for d in departments]
        else:
            del self.fields["department"]


class DispatchForm(forms.Form):
    to_org = forms.IntegerField(label=_("派至党组织（编号）"))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("合并到诉求编号"), max_length=20)


class ConfirmForm(forms.Form):
    outcome = forms.ChoiceField(label=_("问题解决了吗"), choices=Outcome.choices, widget=forms.RadioSelect)
    rating = forms.ChoiceField(label=_("您对办理满意吗"), choices=RATINGS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见（可不填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusForm(forms.Form):
    number = forms.CharField(label=_("诉求编号"), max_length=20)
    code = forms.CharField(
        label=_("查询码"), max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class NeighbourRatingForm(forms.Form):
    place = forms.ChoiceField(label=_("小区"))
    target = forms.ChoiceField(label=_("评价对象"), choices=RatingTarget.choices)
    occasion = forms.ChoiceField(label=_("方式"), choices=Occasion.choices)
    score = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(i, f"{i}分") for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("意见（可不填）"), max_length=500, required=False)
    phone = forms.CharField(label=_("手机号（每月每项评一次）"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = Place.objects.filter(is_active=True, kind=PlaceKind.COMPOUND).order_by("name")[:500]
        self.fields["place"].choices = [(str(p.pk), p.name) for p in rows]


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PlaceKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    organisation = forms.IntegerField(label=_("承办党组织（编号）"))
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    latitude = forms.CharField(label=_("纬度"), required=False)
    longitude = forms.CharField(label=_("经度"), required=False)
    property_company = forms.CharField(label=_("物业服务企业"), max_length=100, required=False)


class StationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=StationKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    organisation = forms.IntegerField(label=_("所属党组织（编号）"))
    address = forms.CharField(label=_("地址"), max_length=255)
    latitude = forms.CharField(label=_("纬度"), required=False)
    longitude = forms.CharField(label=_("经度"), required=False)
    hours = forms.CharField(label=_("开放时间"), max_length=100, required=False)
    services = forms.CharField(label=_("服务内容"), max_length=255, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class WorkdayForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.TypedChoiceField(
        label=_("安排"),
        coerce=lambda v: v == "1",
        choices=[("0", _("休息（节假日）")), ("1", _("上班（调休）"))],
    )
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    source = forms.CharField(label=_("依据"), max_length=255, required=False)
