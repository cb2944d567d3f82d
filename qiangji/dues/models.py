"""Dues (党费, 《关于中国共产党党费收缴、使用和管理的规定》 (docs/rules.md §4)) and the lapse and lost-contact suggestions (docs/rules.md §5).

Months are stored as the first day of the month.  Rows about a member are scoped by the member's
current branch (`member__org_path`), so they follow a transfer; a payment keeps the path of the
organisation that collected it (`org_path`, frozen), because remittances belong to the collector.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core.scoping import ScopedQuerySet
from qiangji.dues.choices import (
    RULE_SET,
    DuesCategory,
    PaymentKind,
    PaymentMethod,
    PensionBasis,
    ReductionStatus,
    SuggestionKind,
    SuggestionStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


class MemberScopedQuerySet(ScopedQuerySet):
    """Rows about one member: staff see their subtree, a member sees their own rows (view only)."""

    scope_path_field = "member__org_path"

    def self_scope(self, user, scope, action):
        return Q(member_id__in=scope.member_ids) if action == "view" and scope.member_ids else None


class DuesRule(models.Model):
    """One bracket of the dues table, as data with its source (docs/rules.md §4).

    A base belongs to the bracket whose `upper` it does not exceed ("以下" includes the bound):
    3000 → 0.5 %, 3000.01 → 1 %.  `upper` empty means no upper bound.
    """

    rule_set = models.CharField("规则版本", max_length=20, default=RULE_SET)
    bracket = models.CharField("类别", max_length=20, help_text="salary / pension / fixed")
    upper = models.DecimalField("上限（含）", null=True, blank=True, **MONEY)
    rate_percent = models.DecimalField("比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    fixed_amount = models.DecimalField("固定金额（元/月）", null=True, blank=True, **MONEY)
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["rule_set", "bracket", models.F("upper").asc(nulls_last=True)]
        verbose_name = "党费交纳标准"
        verbose_name_plural = "党费交纳标准"

    def __str__(self):
        bound = f"≤{self.upper}" if self.upper is not None else "以上"
        return f"{self.bracket} {bound}: {self.rate_percent or self.fixed_amount}"


class RegionDuesSetting(models.Model):
    """Per-province settings: the farmers' monthly sum (0.2–1 元) and the pension basis.

    `province_code` "" is the default row used where a province has set nothing.
    """

    province_code = models.CharField("省级区划代码", max_length=6, unique=True, blank=True)
    farmer_amount = models.DecimalField("农民党员每月交纳（元）", max_digits=4, decimal_places=2)
    pension_basis = models.CharField(
        "养老金计算基数", max_length=10, choices=PensionBasis.choices, default=PensionBasis.TOTAL
    )
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["province_code"]
        # 《关于中国共产党党费收缴、使用和管理的规定》 (docs/rules.md §4): farmers pay 0.2 to 1 元 a month, the province chooses within that range.
        constraints = [
            models.CheckConstraint(
                condition=Q(farmer_amount__gte=Decimal("0.20"), farmer_amount__lte=Decimal("1.00")),
                name="dues_farmer_amount_range",
            )
        ]
        verbose_name = "党费地区设置"
        verbose_name_plural = "党费地区设置"

    def __str__(self):
        return f"{self.province_code or '默认'}: 农民 {self.farmer_amount} 元"


class DuesBase(models.Model):
    """The income base from a month on (dated history); the amount is fixed when recorded."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues_bases")
    category = models.CharField("交纳类别", max_length=20, choices=DuesCategory.choices)
    income = models.DecimalField("月收入基数（元）", null=True, blank=True, **MONEY)
    effective_month = models.DateField("起始月份")
    monthly_amount = models.DecimalField("每月应交（元）", **MONEY)
    rule = models.ForeignKey(DuesRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-effective_month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_month"], name="dues_base_month_unique")
        ]
        verbose_name = "党费基数"
        verbose_name_plural = "党费基数"

    def __str__(self):
        return f"{self.effective_month:%Y-%m} 起 {self.monthly_amount} 元/月"


class DuesAccount(models.Model):
    """Per member: when dues started and up to which month they are paid without a gap.

    Kept by the payment and base services, so arrears and lapse are index scans, not loops.
    """

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="dues_account")
    start_month = models.DateField("起交月份")
    paid_through = models.DateField("连续交至", null=True, blank=True, db_index=True)
    last_paid_month = models.DateField("最近交纳月份", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "党费账户"
        verbose_name_plural = "党费账户"

    def __str__(self):
        return f"{self.member_id}: {self.paid_through or '-'}"


class PaymentQuerySet(MemberScopedQuerySet):
    scope_path_field = "org_path"


class Payment(models.Model):
    """One month's dues, or a voluntary payment.  A regular month is paid once (constraint)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_payments")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    month = models.DateField("所属月份")
    kind = models.CharField("类型", max_length=20, choices=PaymentKind.choices, default=PaymentKind.REGULAR)
    amount = models.DecimalField("金额（元）", **MONEY)
    expected_amount = models.DecimalField("应交（元）", null=True, blank=True, **MONEY)
    method = models.CharField("方式", max_length=20, choices=PaymentMethod.choices)
    paid_on = models.DateField("交纳日期")
    reference = models.CharField("凭证/流水号", max_length=100, blank=True)
    batch = models.UUIDField("批次", db_index=True)
    is_makeup = models.BooleanField("补交", default=False)
    old_arrears = models.BooleanField("超过6个月的欠费", default=False)
    override_reason = models.CharField("特殊情况说明", max_length=255, blank=True)
    to_centre = models.BooleanField("全部上缴中央", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentQuerySet.as_manager()
    org_path_is_frozen = True

    class Meta:
        ordering = ["member", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], condition=Q(kind="regular"), name="dues_payment_month_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["org_path", "month"], name="dues_payment_path_month_idx"),
            models.Index(fields=["member", "kind", "month"], name="dues_payment_member_idx"),
        ]
        verbose_name = "党费交纳记录"
        verbose_name_plural = "党费交纳记录"

    def __str__(self):
        return f"{self.month:%Y-%m} {self.amount} 元"


class HardshipReduction(models.Model):
    """A reduced (or waived) monthly amount: branch agreement, then higher approval (docs/rules.md §4)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues_reductions")
    from_month = models.DateField("起始月份")
    to_month = models.DateField("截止月份")
    reduced_amount = models.DecimalField("减免后每月交纳（元）", **MONEY)
    reason = models.CharField("困难情况", max_length=500)
    status = models.CharField(
        "状态", max_length=20, choices=ReductionStatus.choices, default=ReductionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "党费减免"
        verbose_name_plural = "党费减免"

    def __str__(self):
        return f"{self.from_month:%Y-%m}–{self.to_month:%Y-%m} {self.reduced_amount} 元/月"


class Suggestion(models.Model):
    """A lapse or lost-contact finding for a committee to decide on; never acted on automatically."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues_suggestions")
    kind = models.CharField("类型", max_length=20, choices=SuggestionKind.choices)
    status = models.CharField(
        "状态", max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    since = models.DateField("起算日期")
    detected_on = models.DateField("发现日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("决定理由", max_length=500, blank=True)
    status_event = models.ForeignKey(
        "members.MemberStatusEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"], condition=Q(status="open"), name="dues_suggestion_open_unique"
            ),
        ]
        verbose_name = "处置建议"
        verbose_name_plural = "处置建议"

    def __str__(self):
        return f"{self.member_id} {self.get_kind_display()}"


class OrderStatus(models.TextChoices):
    CREATED = "created", "待支付"
    PAID = "paid", "已支付"
    FAILED = "failed", "支付失败"
    EXPIRED = "expired", "已过期"


class PaymentOrder(models.Model):
    """An online payment order (ADR 0015): in the database, so any worker process can answer for it.

    Opened by `services.start_online_payment`; only a callback (or query answer) whose signature the
    provider verified moves it to paid, and the months are then recorded by `record_payment`.
    `callback_digest` is the SHA-256 of the verified body that settled it (a replay changes nothing).
    """

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_orders")
    order_no = models.CharField("订单号", max_length=32, unique=True)
    months = models.JSONField("交纳月份", default=list)
    amount = models.DecimalField("金额（元）", **MONEY)
    provider = models.CharField("支付平台", max_length=20)
    provider_order_id = models.CharField("支付平台订单号", max_length=64, blank=True)
    status = models.CharField("状态", max_length=10, choices=OrderStatus.choices, default=OrderStatus.CREATED)
    checkout_url = models.CharField("支付地址", max_length=500, blank=True)
    qr_code = models.CharField("支付二维码内容", max_length=500, blank=True)
    callback_digest = models.CharField("回调摘要（SHA-256）", max_length=64, blank=True)
    failure_reason = models.CharField("失败原因", max_length=255, blank=True)
    payment_batch = models.UUIDField("交纳记录批次", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("支付截止")
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "status"], name="dues_order_member_status_idx")]
        verbose_name = "在线支付订单"
        verbose_name_plural = "在线支付订单"

    def __str__(self):
        return f"{self.order_no} {self.amount} 元 {self.get_status_display()}"

    @property
    def reference(self) -> str:
        return self.order_no

    @property
    def pay_url(self) -> str:
        return self.checkout_url
