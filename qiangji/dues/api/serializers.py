"""API shapes of the dues app.  Serializers only type the input; every rule lives in `services`."""

from rest_framework import serializers

from qiangji.dues import months
from qiangji.dues.choices import OFFLINE_METHODS, DuesCategory
from qiangji.dues.models import DuesAccount, DuesBase, HardshipReduction, OrderStatus, Payment, Suggestion

# An id in a request body: a positive 64-bit integer, checked by the serializer (400 naming the field)
# before any lookup; an unknown id or one outside the user's subtree is then the view's 404.
ID_MAX = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


MONTH_HELP = "月份，格式 2026-05（按该月1日保存）"


class MonthField(serializers.DateField):
    """Accepts 2026-05 or 2026-05-01; answers 2026-05-01."""

    def to_internal_value(self, value):
        month = months.parse(value)
        if month is None:
            raise serializers.ValidationError("格式应为 2026-05")
        return month


class DuesBaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuesBase
        fields = (
            "id",
            "member",
            "category",
            "income",
            "effective_month",
            "monthly_amount",
            "note",
            "created_at",
        )
        read_only_fields = fields


class DuesBaseWriteSerializer(serializers.Serializer):
    member = id_field(help_text="党员编号")
    category = serializers.ChoiceField(choices=DuesCategory.choices)
    income = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="月收入基数（元，字符串，最多两位小数）；固定金额类别不填",
    )
    effective_month = MonthField(help_text=MONTH_HELP)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DuesPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = (
            "id",
            "member",
            "organisation",
            "month",
            "kind",
            "amount",
            "expected_amount",
            "method",
            "paid_on",
            "reference",
            "batch",
            "is_makeup",
            "old_arrears",
            "override_reason",
            "to_centre",
            "created_at",
        )
        read_only_fields = fields


class DuesPaymentWriteSerializer(serializers.Serializer):
    member = id_field(help_text="党员编号")
    months = serializers.ListField(
        child=MonthField(help_text=MONTH_HELP), help_text="按月交纳一个月，按季度三个月"
    )
    amount = serializers.CharField(help_text="实交金额（元，字符串）；须等于应交合计，除非 extra=true")
    method = serializers.ChoiceField(choices=OFFLINE_METHODS)
    paid_on = serializers.DateField(required=False, help_text="交纳日期，默认今天")
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    extra = serializers.BooleanField(required=False, default=False, help_text="多出部分记为自愿多交")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="补交超过6个月的欠费时必填（《关于中国共产党党费收缴、使用和管理的规定》），记录被标记",
    )


class DuesVoluntaryWriteSerializer(serializers.Serializer):
    member = id_field(help_text="党员编号")
    amount = serializers.CharField(help_text="金额（元）；1000元以上全部上缴中央")
    method = serializers.ChoiceField(choices=OFFLINE_METHODS)
    paid_on = serializers.DateField(required=False)
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class DuesAccountSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    paid_up_to = serializers.DateField(
        source="paid_through",
        read_only=True,
        allow_null=True,
        help_text="党费连续交至的月份（该月1日）；无记录为空",
    )

    class Meta:
        model = DuesAccount
        fields = ("id", "member", "member_name", "start_month", "paid_up_to", "last_paid_month")
        read_only_fields = fields


class DuesArrearsSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    member_name = serializers.CharField()
    organisation_name = serializers.CharField()
    monthly_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    paid_up_to = serializers.DateField(allow_null=True)
    oldest_unpaid = serializers.DateField()
    months_owed = serializers.IntegerField()
    over_six_months = serializers.BooleanField(
        help_text="最早未交月份已超过6个月（《关于中国共产党党费收缴、使用和管理的规定》补交上限）"
    )


class DuesRateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(allow_null=True)
    organisation_name = serializers.CharField()
    due_members = serializers.IntegerField()
    paid_members = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="收缴率（%），按人数")
    due_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class DuesRemittanceSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="收取月份")
    organisation = serializers.IntegerField(allow_null=True)
    organisation_name = serializers.CharField()
    regular = serializers.DecimalField(max_digits=14, decimal_places=2)
    voluntary = serializers.DecimalField(max_digits=14, decimal_places=2)
    centre = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="其中全部上缴中央")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    payments = serializers.IntegerField()


class DuesReductionSerializer(serializers.ModelSerializer):
    class Meta:
        model = HardshipReduction
        fields = (
            "id",
            "member",
            "from_month",
            "to_month",
            "reduced_amount",
            "reason",
            "status",
            "agreed_at",
            "approved_at",
            "decision_note",
            "created_at",
        )
        read_only_fields = fields


class DuesReductionWriteSerializer(serializers.Serializer):
    member = id_field()
    from_month = MonthField(help_text=MONTH_HELP)
    to_month = MonthField(help_text=MONTH_HELP)
    reduced_amount = serializers.CharField(help_text="减免后每月交纳（元），0 表示免交")
    reason = serializers.CharField()


class DuesDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="不批准时必填")


class DuesSuggestionSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Suggestion
        fields = (
            "id",
            "member",
            "member_name",
            "kind",
            "status",
            "since",
            "detected_on",
            "decided_at",
            "reason",
        )
        read_only_fields = fields


class DuesSuggestionDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)


class DuesComputeResultSerializer(serializers.Serializer):
    opened = serializers.IntegerField()
    retired = serializers.IntegerField()
    flagged = serializers.IntegerField()


class DuesOnlineStartSerializer(serializers.Serializer):
    member = id_field()
    months = serializers.ListField(child=MonthField(help_text=MONTH_HELP))


class DuesOrderSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="本系统订单号")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    pay_url = serializers.CharField(help_text="支付地址（跳转到支付平台）")
    qr_code = serializers.CharField(help_text="支付二维码内容（平台提供时）")
    months = serializers.ListField(child=serializers.CharField(), help_text="交纳月份 YYYY-MM")
    status = serializers.ChoiceField(
        choices=OrderStatus.choices, help_text="created 待支付，paid 已支付，failed 支付失败，expired 已过期"
    )
    provider = serializers.CharField()


class DuesOnlineConfirmSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="支付平台订单号")
