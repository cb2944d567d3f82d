"""Transfers, mobile members, activity certificates, dual anchors and community reporting.

Every row sits on two lines of the tree: the home side (`org_path`, the member's own branch, which
keeps responsibility — docs/rules.md §5) and the other side (`other_path`: the receiving committee, the
inflow branch, the second anchor, the community).  Both subtrees see the row; nobody else does.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core import crypto
from qiangji.core.scoping import ScopedQuerySet, prefix_q
from qiangji.mobility.choices import (
    AnchorKind,
    CertificateStatus,
    FlowReason,
    FlowStatus,
    HoursStatus,
    RevocationReason,
    TransferKind,
    TransferStatus,
)


class TwoSidedQuerySet(ScopedQuerySet):
    """Visible to the subtree of `org_path` and to the subtree of `other_path`; a member sees their own."""

    other_path_field = "other_path"
    member_field = "member"

    def self_scope(self, user, scope, action):
        q = prefix_q(self.other_path_field, scope.paths_for(action))
        if action == "view" and scope.member_ids and self.member_field:
            own = Q(**{f"{self.member_field}__in": scope.member_ids})
            q = own if q is None else q | own
        return q


class NumberSequence(models.Model):
    """A counter row per (kind, county, year): letters and certificates are numbered by the county
    organisation department (docs/rules.md §5); the row is locked with select_for_update while a number is taken."""

    kind = models.CharField(max_length=20)
    region_code = models.CharField("县级区划", max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "region_code", "year"], name="mobility_seq_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.region_code} {self.year}: {self.last}"


class Transfer(models.Model):
    """组织关系转接: one introduction letter (stub, letter, receipt), inside or across the platform edge."""

    number = models.CharField("介绍信编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=20, choices=TransferKind.choices)
    status = models.CharField(
        "状态", max_length=20, choices=TransferStatus.choices, default=TransferStatus.IN_TRANSIT
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name="党员",
    )
    member_name = models.CharField("姓名", max_length=50)
    from_org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="转出党组织",
    )
    from_org_name = models.CharField("转出党组织名称", max_length=200)
    org_path = models.CharField(max_length=255, db_index=True, help_text="转出方（平台外转入时为接收方）")
    to_org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接收党委",
    )
    to_org_name = models.CharField("接收党组织名称", max_length=200)
    other_path = models.CharField(max_length=255, blank=True, db_index=True)
    to_branch = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="编入党支部",
    )
    reason = models.CharField("转接原因", max_length=200, blank=True)
    dues_paid_to = models.DateField("党费交至（年月）", null=True, blank=True)
    issued_on = models.DateField("开具日期")
    valid_days = models.PositiveSmallIntegerField("有效期（天）")
    expires_on = models.DateField("有效期至")
    receipt_due_on = models.DateField("回执应返回日期", null=True, blank=True)
    accepted_on = models.DateField("接收日期", null=True, blank=True)
    returned_on = models.DateField("退回日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=255, blank=True)
    receipt_returned_on = models.DateField("回执返回日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TwoSidedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "expires_on"], name="mobility_transfer_due_idx")]
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"

    def __str__(self):
        return f"{self.number} {self.member_name}"


class GraduateHold(models.Model):
    """A graduate whose relationship stays at the university: ≤ 2 years (docs/rules.md §5)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="graduate_holds")
    org_path = models.CharField(max_length=255, db_index=True)
    graduated_on = models.DateField("毕业日期")
    flag_on = models.DateField("满两年日期")
    closed_on = models.DateField("转出日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["flag_on"]
        verbose_name = "毕业生组织关系保留"
        verbose_name_plural = "毕业生组织关系保留"

    def __str__(self):
        return f"{self.member} {self.graduated_on}"


class MobileFlow(models.Model):
    """流动党员 registration: outflow branch (home, `org_path`) and inflow branch (`other_path`)."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="flows", verbose_name="党员"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    out_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="流出地党组织"
    )
    in_org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="流入地党组织",
    )
    other_path = models.CharField(max_length=255, blank=True, db_index=True)
    status = models.CharField("状态", max_length=20, choices=FlowStatus.choices)
    province = models.CharField("流入省份", max_length=30)
    city = models.CharField("流入城市", max_length=30, blank=True)
    county = models.CharField("流入区县", max_length=30, blank=True)
    employer = models.CharField("就业单位或平台", max_length=200, blank=True)
    place = models.CharField("站点/工作地点", max_length=200, blank=True)
    reason = models.CharField("外出原因", max_length=20, choices=FlowReason.choices)
    left_on = models.DateField("外出日期")
    expected_return_on = models.DateField("预计返回日期", null=True, blank=True)
    contact_phone_encrypted = models.CharField(max_length=120, blank=True)
    contact_phone_suffix = models.CharField(max_length=4, blank=True)
    self_registered = models.BooleanField("本人扫码登记", default=False)
    accepted_on = models.DateField("流入地接收日期", null=True, blank=True)
    returned_on = models.DateField("返回日期", null=True, blank=True)
    note = models.CharField("备注", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TwoSidedQuerySet.as_manager()

    class Meta:
        ordering = ["-left_on", "-id"]
        indexes = [models.Index(fields=["status", "employer"], name="mobility_flow_employer_idx")]
        verbose_name = "流动党员登记"
        verbose_name_plural = "流动党员登记"

    def __str__(self):
        return f"{self.member} → {self.destination}"

    @property
    def destination(self) -> str:
        return "".join(part for part in (self.province, self.city, self.county) if part)

    @property
    def contact_phone_masked(self) -> str:
        return "*" * 7 + self.contact_phone_suffix if self.contact_phone_suffix else ""

    @property
    def contact_phone(self) -> str:
        return crypto.decrypt(self.contact_phone_encrypted)


class Certificate(models.Model):
    """流动党员活动证: a county-numbered card carrying an Ed25519-signed token (see `signing.py`)."""

    number = models.CharField("活动证编号", max_length=30, unique=True)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="certificates")
    flow = models.ForeignKey(
        MobileFlow, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    other_path = models.CharField(max_length=255, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")
    last_checked_on = models.DateField("最近年度查验", null=True, blank=True)
    revoked_on = models.DateField("注销日期", null=True, blank=True)
    revoked_reason = models.CharField("注销原因", max_length=20, choices=RevocationReason.choices, blank=True)
    token = models.TextField("签名凭证")
    key_id = models.CharField("签名密钥标识", max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TwoSidedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "流动党员活动证"
        verbose_name_plural = "流动党员活动证"

    def __str__(self):
        return self.number


class AnchorQuerySet(TwoSidedQuerySet):
    member_field = ""


class DualAnchor(models.Model):
    """A branch of a new employment group anchored to a second line (platform company or street)."""

    branch = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="党支部"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    second_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="第二隶属组织"
    )
    other_path = models.CharField(max_length=255, db_index=True)
    second_kind = models.CharField("第二隶属类型", max_length=20, choices=AnchorKind.choices)
    note = models.CharField("说明", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnchorQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "second_org"], name="mobility_anchor_unique")
        ]
        verbose_name = "双重隶属"
        verbose_name_plural = "双重隶属"

    def __str__(self):
        return f"{self.branch} ↔ {self.second_org}"


class ServicePost(models.Model):
    """A service post a community offers to in-service members (在职党员到社区报到)."""

    community = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField("服务岗位", max_length=100)
    description = models.CharField("说明", max_length=255, blank=True)
    is_open = models.BooleanField("开放认领", default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "title"]
        verbose_name = "社区服务岗位"
        verbose_name_plural = "社区服务岗位"

    def __str__(self):
        return self.title


class CommunityReport(models.Model):
    """An in-service member registered with the community where they live."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="community_reports")
    org_path = models.CharField(max_length=255, db_index=True, help_text="党员所在党支部（工作单位一方）")
    community = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="报到社区"
    )
    other_path = models.CharField(max_length=255, db_index=True)
    posts = models.ManyToManyField(ServicePost, blank=True, related_name="reports", verbose_name="认领岗位")
    registered_on = models.DateField("报到日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    objects = TwoSidedQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = "在职党员到社区报到"
        verbose_name_plural = "在职党员到社区报到"

    def __str__(self):
        return f"{self.member} @ {self.community}"


class HoursQuerySet(TwoSidedQuerySet):
    member_field = "report__member"


class VolunteerHours(models.Model):
    report = models.ForeignKey(CommunityReport, on_delete=models.CASCADE, related_name="hours")
    org_path = models.CharField(max_length=255, db_index=True)
    other_path = models.CharField(max_length=255, db_index=True)
    served_on = models.DateField("服务日期")
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1)
    post = models.ForeignKey(
        ServicePost,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="服务岗位",
    )
    description = models.CharField("服务内容", max_length=255)
    status = models.CharField("状态", max_length=20, choices=HoursStatus.choices, default=HoursStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("确认日期", null=True, blank=True)

    objects = HoursQuerySet.as_manager()

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = "志愿服务时长"
        verbose_name_plural = "志愿服务时长"

    def __str__(self):
        return f"{self.served_on} {self.hours}h"
