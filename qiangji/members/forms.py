"""HTML forms.  They only shape input: the checks live in `validation.py` and `services.py`, so a
form, an API call and an import refuse the same things with the same messages."""

from django import forms

from qiangji.core.choices import Action
from qiangji.members.choices import ETHNICITIES, Category, Education, MemberStatus, Post, RecordKind, Sex
from qiangji.members.services import BRANCH_REFUSED
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.fields import SELECT_LIMIT, picker_for
from qiangji.orgs.models import Organisation


def _blank(choices):
    return [("", "—")] + list(choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required=False, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


class MemberForm(forms.Form):
    """Create and edit.  On edit the branch and the status are not fields: moving a member is a
    transfer and a status change is a dated event (see `record_status_event`)."""

    organisation = forms.ModelChoiceField(
        label="所在党支部",
        queryset=Organisation.objects.none(),
        empty_label="请选择党支部",
        error_messages={"invalid_choice": BRANCH_REFUSED},
    )
    name = forms.CharField(label="姓名", max_length=50)
    sex = forms.ChoiceField(
        label="性别",
        choices=_blank(Sex.choices),
        required=False,
        help_text="可不填，按公民身份证号第17位确定",
    )
    ethnicity = forms.ChoiceField(label="民族", choices=_blank(ETHNICITIES), required=False)
    id_number = forms.CharField(label="公民身份证号", max_length=18, min_length=18)
    birth_date = date_field("出生日期", help_text="可不填，按公民身份证号确定")
    education = forms.ChoiceField(label="学历", choices=_blank(Education.choices), required=False)
    category = forms.ChoiceField(label="人员类别", choices=Category.choices)
    status = forms.ChoiceField(
        label="党员状态",
        choices=_blank(MemberStatus.choices),
        required=False,
        help_text="可不填，按人员类别确定",
    )
    joined_on = date_field("加入党组织日期")
    confirmed_on = date_field("转为正式党员日期")
    post = forms.ChoiceField(label="工作岗位", choices=_blank(Post.choices), required=False)
    position = forms.CharField(label="职务", max_length=100, required=False)
    employer = forms.CharField(label="工作单位", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="家庭住址", max_length=255, required=False)
    lost_contact_since = date_field("失去联系日期", help_text="仅失去联系的党员填写")
    is_mobile = forms.BooleanField(label="流动党员", required=False)
    mobile_destination = forms.CharField(
        label="外出流向", max_length=200, required=False, help_text="省、市、县"
    )
    family_contact_name = forms.CharField(label="家庭联系人", max_length=50, required=False)
    family_contact_relation = forms.CharField(label="与本人关系", max_length=20, required=False)
    family_contact_phone = forms.CharField(label="家庭联系人电话", max_length=30, required=False)
    national_id = forms.CharField(label="全国系统党员标识", max_length=64, required=False)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        if editing:
            del self.fields["organisation"]
            del self.fields["status"]
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = "不修改请留空（当前号码已加密保存）"
            self.fields["phone"].help_text = "不修改请留空；填写“-”表示删除"
        else:
            self._limit_branches(user)
        _label_errors(self)
        if "organisation" in self.fields:
            self.fields["organisation"].error_messages["invalid_choice"] = BRANCH_REFUSED
        self.fields["id_number"].error_messages.update(
            max_length="公民身份证号：应为18位", min_length="公民身份证号：应为18位"
        )

    def _limit_branches(self, user):
        branches = Organisation.objects.visible_to(user, Action.CHANGE).filter(
            kind__in=BRANCH_KINDS, dissolved_on__isnull=True
        )
        field = self.fields["organisation"]
        field.queryset = branches
        count = branches.count()
        if count > SELECT_LIMIT:  # by name or pinyin (orgs.fields), never a typed number
            picker_for(self, "organisation", user=user, action=Action.CHANGE, kinds=BRANCH_KINDS)
        elif count == 1 and not self.is_bound:
            self.initial.setdefault("organisation", branches.first().pk)

    def values(self) -> dict:
        """The cleaned values for the service, without empty optional secrets on edit."""
        data = {key: value for key, value in self.cleaned_data.items() if key != "organisation"}
        if "organisation" not in self.fields:
            if not data.get("id_number"):
                data.pop("id_number", None)
            else:  # a corrected ID number brings its own birth date and sex unless those were edited too
                for derived in ("birth_date", "sex"):
                    if derived not in self.changed_data:
                        data.pop(derived, None)
            if not data.get("phone"):
                data.pop("phone", None)
            elif data["phone"] == "-":
                data["phone"] = ""
            if not data.get("family_contact_phone"):
                data.pop("family_contact_phone", None)
        if not data.get("status"):
            data.pop("status", None)
        return data


class StatusEventForm(forms.Form):
    status = forms.ChoiceField(label="新状态", choices=MemberStatus.choices)
    effective_on = date_field("生效日期", required=True)
    reason = forms.CharField(
        label="原因", max_length=255, required=False, help_text="停止党籍、失去联系、出党、去世须填写原因"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_errors(self)


class RewardPunishmentForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RecordKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    decided_on = date_field("日期", required=True)
    issuer = forms.CharField(label="批准机关", max_length=200, required=False)
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_errors(self)


def _label_errors(form):
    form.label_suffix = ""
    for field in form.fields.values():
        field.error_messages["required"] = f"{field.label}：必填"
        field.error_messages["invalid"] = f"{field.label}：格式不正确"
        field.error_messages["invalid_choice"] = f"{field.label}：选项无效"
        field.error_messages["max_length"] = f"{field.label}：过长"


class PositionForm(forms.Form):
    title = forms.CharField(label="职务", max_length=100)
    unit = forms.CharField(label="任职单位", max_length=200, required=False)
    started_on = date_field("任职日期", required=True)
    ended_on = date_field("免职日期", help_text="现任职务留空")
    note = forms.CharField(label="说明", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_errors(self)
