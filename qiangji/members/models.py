from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core import crypto
from qiangji.core.scoping import ScopedQuerySet
from qiangji.members.choices import (
    ETHNICITIES,
    ON_ROLL,
    Category,
    Education,
    MembershipStatus,
    MemberStatus,
    PoliticalStatus,
    Post,
    RecordKind,
    Sex,
)


class MemberQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        return Q(pk__in=scope.member_ids) if action == "view" and scope.member_ids else None


class Member(models.Model):
    """A Party member's record (党员档案): the 16 national items and what users keep beside them.

    ID numbers and phones are stored encrypted (`*_encrypted`), with a keyed blind index for
    duplicates and exact lookup and the last four characters in clear for search and display.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="members", verbose_name="所在党支部"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    region_code = models.CharField(max_length=6, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_records",
    )
    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField(max_length=120, blank=True)
    name_initials = models.CharField(max_length=30, blank=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITIES, blank=True)
    id_number_encrypted = models.CharField(max_length=120)
    id_number_hash = models.CharField(max_length=40)
    id_suffix = models.CharField(max_length=4)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=2, choices=Education.choices, blank=True)
    category = models.CharField("人员类别", max_length=20, choices=Category.choices)
    joined_on = models.DateField("加入党组织日期", null=True, blank=True)
    confirmed_on = models.DateField("转为正式党员日期", null=True, blank=True)
    post = models.CharField("工作岗位", max_length=4, choices=Post.choices, blank=True)
    position = models.CharField("职务", max_length=100, blank=True)
    employer = models.CharField("工作单位", max_length=200, blank=True)
    phone_encrypted = models.CharField(max_length=120, blank=True)
    phone_hash = models.CharField(max_length=40, blank=True)
    phone_suffix = models.CharField(max_length=4, blank=True)
    address = models.CharField("家庭住址", max_length=255, blank=True)
    status = models.CharField("党员状态", max_length=20, choices=MemberStatus.choices)
    status_since = models.DateField("状态起始日期", null=True, blank=True)
    political_status = models.CharField("政治面貌", max_length=2, choices=PoliticalStatus.choices)
    membership_status = models.CharField(
        "党籍状态", max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.NORMAL
    )
    lost_contact_since = models.DateField("失去联系日期", null=True, blank=True)
    is_mobile = models.BooleanField("是否流动党员", default=False)
    mobile_destination = models.CharField("外出流向", max_length=200, blank=True)
    family_contact_name = models.CharField("家庭联系人", max_length=50, blank=True)
    family_contact_relation = models.CharField("与本人关系", max_length=20, blank=True)
    family_contact_phone_encrypted = models.CharField(max_length=120, blank=True)
    national_id = models.CharField("全国系统党员标识", max_length=64, blank=True)
    completeness = models.PositiveSmallIntegerField("信息完整度", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "name_pinyin", "id"]
        # Equality-only columns get plain indexes here rather than db_index=True, which on
        # PostgreSQL adds a second *_like index per column and slows bulk imports (see docs/import.md).
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], name="member_id_number_unique")]
        indexes = [
            models.Index(fields=["id_suffix", "org_path"], name="member_id_suffix_idx"),
            models.Index(fields=["phone_suffix", "org_path"], name="member_phone_suffix_idx"),
            models.Index(fields=["phone_hash"], name="member_phone_hash_idx"),
            models.Index(fields=["org_path", "status"], name="member_path_status_idx"),
            models.Index(fields=["org_path", "name_initials"], name="member_path_initials_idx"),
            models.Index(fields=["org_path", "name_pinyin"], name="member_path_pinyin_idx"),
            models.Index(fields=["org_path", "name"], name="member_path_name_idx"),
        ]
        verbose_name = "党员"
        verbose_name_plural = "党员"

    def __str__(self):
        return self.name

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def id_number_masked(self) -> str:
        # Masked from the clear suffix, so lists never decrypt a full number.
        return "*" * 14 + self.id_suffix

    @property
    def phone_tail_masked(self) -> str:
        # For lists: built from the clear suffix, so a page of rows decrypts nothing.
        return "*" * 7 + self.phone_suffix if self.phone_suffix else ""

    @property
    def family_contact_phone(self) -> str:
        return crypto.decrypt(self.family_contact_phone_encrypted)

    @property
    def family_contact_phone_masked(self) -> str:
        return crypto.mask_phone(self.family_contact_phone) if self.family_contact_phone_encrypted else ""

    @property
    def is_on_roll(self) -> bool:
        return self.status in ON_ROLL

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone) if self.phone_encrypted else ""


class MemberStatusEvent(models.Model):
    """Status as dated events; `Member.status` is the latest one, kept by the service."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_events")
    org_path = models.CharField(max_length=255, db_index=True)
    status = models.CharField("状态", max_length=20, choices=MemberStatus.choices)
    effective_on = models.DateField("生效日期")
    reason = models.CharField("原因", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member", "effective_on", "id"]
        verbose_name = "党员状态记录"
        verbose_name_plural = "党员状态记录"

    def __str__(self):
        return f"{self.effective_on} {self.get_status_display()}"


class RewardPunishment(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rewards_punishments")
    org_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField("类别", max_length=20, choices=RecordKind.choices)
    title = models.CharField("名称", max_length=200)
    decided_on = models.DateField("日期")
    issuer = models.CharField("批准机关", max_length=200, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    ends_on = models.DateField(
        "处分期满日期",
        null=True,
        blank=True,
        help_text="留党察看期的最后一日（最长不超过二年，《中国共产党章程》第四十条）",
    )
    rights_restored_on = models.DateField(
        "恢复党员权利日期",
        null=True,
        blank=True,
        help_text="自此日起恢复党员权利（《中国共产党章程》第四十条）",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-decided_on"]
        verbose_name = "奖惩记录"
        verbose_name_plural = "奖惩记录"

    def __str__(self):
        return f"{self.get_kind_display()} {self.title}"


class PositionRecord(models.Model):
    """Posts held (任职经历); the open one (no end date) is mirrored in `Member.position`."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    org_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField("职务", max_length=100)
    unit = models.CharField("任职单位", max_length=200, blank=True)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("免职日期", null=True, blank=True)
    note = models.CharField("说明", max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-started_on", "-id"]
        verbose_name = "任职经历"
        verbose_name_plural = "任职经历"

    def __str__(self):
        return f"{self.title}（{self.started_on:%Y-%m}起）"
