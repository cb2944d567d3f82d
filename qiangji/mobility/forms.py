"""HTML forms: they shape input only; the rules live in `services` so form and API refuse alike."""

from django import forms

from qiangji.core.choices import Action
from qiangji.mobility.choices import AnchorKind, FlowReason, RevocationReason
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.fields import OrganisationField
from qiangji.orgs.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required=False, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def platform_org_field(user, label, *, required=True, kinds=(), categories=(), help_text=""):
    """An organisation anywhere on the platform, chosen by name or pinyin (orgs.fields): the other side of a
    transfer or a flow is usually outside the user's subtree."""
    return OrganisationField(
        user=user,
        everywhere=True,
        kinds=kinds,
        categories=categories,
        label=label,
        required=required,
        help_text=help_text,
    )


def scoped_org_field(user, label, *, branches_only: bool, under: str = "", categories=(), required=True):
    """An organisation the user may act for (CHANGE), by name or pinyin, with the tree."""
    within = (
        Organisation.objects.visible_to(user, Action.CHANGE).filter(path=under).first() if under else None
    )
    field = OrganisationField(
        user=user,
        action=Action.CHANGE,
        kinds=BRANCH_KINDS if branches_only else (),
        categories=categories,
        within=within,
        label=label,
        required=required,
    )
    if under and within is None:
        field.queryset = field.queryset.none()
    return field


class TransferForm(forms.Form):
    to_org_name = forms.CharField(
        label="平台外接收党组织名称",
        max_length=200,
        required=False,
        help_text="转往平台外时填写，将开具纸质介绍信",
    )
    reason = forms.CharField(label="转接原因", max_length=200, required=False)
    dues_paid = date_field("党费交至（年月）", help_text="已接入党费模块时以党费记录为准")
    valid_days = forms.IntegerField(label="有效期（天）", required=False, min_value=1, max_value=365)

    field_order = ["to_org", "to_org_name"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"] = platform_org_field(
            user,
            "接收党委",
            required=False,
            help_text="平台内转接：输入接收基层党委的名称或拼音，从列表中选择",
        )
        self.order_fields(self.field_order)


class AcceptForm(forms.Form):
    def __init__(self, *args, user=None, under="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"] = scoped_org_field(user, "编入党支部", branches_only=True, under=under)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=255, widget=forms.Textarea(attrs={"rows": 3}))


class ReceiptForm(forms.Form):
    returned_on = date_field("回执返回日期", required=True)


class IncomingLetterForm(forms.Form):
    number = forms.CharField(label="介绍信编号", max_length=30)
    member_name = forms.CharField(label="姓名", max_length=50)
    from_org_name = forms.CharField(label="转出党组织名称", max_length=200)
    issued_on = date_field("开具日期", required=True)
    valid_days = forms.IntegerField(label="有效期（天）", required=False, min_value=1, max_value=365)
    dues_paid = date_field("党费交至（年月）")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = scoped_org_field(user, "接收党组织", branches_only=False)
        self.order_fields(["organisation"])


class FlowForm(forms.Form):
    province = forms.CharField(label="流入省份", max_length=30)
    city = forms.CharField(label="流入城市", max_length=30, required=False)
    county = forms.CharField(label="流入区县", max_length=30, required=False)
    employer = forms.CharField(
        label="就业单位或平台", max_length=200, required=False, help_text="如某外卖平台、某快递公司、某车队"
    )
    place = forms.CharField(label="站点/工作地点", max_length=200, required=False)
    reason = forms.ChoiceField(label="外出原因", choices=FlowReason.choices)
    left_on = date_field("外出日期")
    expected_return_on = date_field("预计返回日期")
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    note = forms.CharField(label="备注", max_length=255, required=False)


class OutflowForm(FlowForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["in_org"] = platform_org_field(
            user,
            "流入地党支部",
            required=False,
            kinds=BRANCH_KINDS,
            help_text="已知流入地党支部时输入其名称或拼音，由其确认接收",
        )


class InflowForm(FlowForm):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份证号", max_length=18, min_length=18)

    field_order = ["in_org", "name", "id_number"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["in_org"] = scoped_org_field(user, "流入地党支部（本支部）", branches_only=True)
        self.order_fields(self.field_order)


class EndFlowForm(forms.Form):
    returned_on = date_field("返回日期", required=True)
    note = forms.CharField(label="备注", max_length=255, required=False)


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label="注销原因", choices=RevocationReason.choices)


class GraduateForm(forms.Form):
    graduated_on = date_field("毕业日期", required=True)


class AnchorForm(forms.Form):
    second_kind = forms.ChoiceField(label="第二隶属类型", choices=AnchorKind.choices)
    note = forms.CharField(label="说明", max_length=255, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"] = scoped_org_field(user, "党支部", branches_only=True)
        self.fields["second_org"] = platform_org_field(user, "第二隶属组织")
        self.order_fields(["branch", "second_org", "second_kind"])


class ServicePostForm(forms.Form):
    title = forms.CharField(label="服务岗位", max_length=100)
    description = forms.CharField(label="说明", max_length=255, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"] = scoped_org_field(
            user, "社区党组织", branches_only=False, categories=("community",)
        )
        self.order_fields(["community"])


class CommunityReportForm(forms.Form):
    posts = forms.CharField(
        label="认领服务岗位编号", required=False, help_text="多个编号用逗号分隔，可在社区公布的岗位清单中查到"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"] = platform_org_field(
            user, "居住地社区党组织", help_text="输入社区党组织的名称或拼音，从列表中选择"
        )
        self.order_fields(["community"])

    def post_ids(self) -> list[int]:
        raw = (self.cleaned_data.get("posts") or "").replace("，", ",")
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            return [-1]  # the service refuses it with the field's name


class HoursForm(forms.Form):
    served_on = date_field("服务日期", required=True)
    hours = forms.DecimalField(label="服务时长（小时）", max_digits=4, decimal_places=1)
    description = forms.CharField(label="服务内容", max_length=255)
