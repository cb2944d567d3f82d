"""Meeting records, attendance, evidence, QR check-in codes and exemptions."""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core.scoping import ScopedQuerySet
from qiangji.life.choices import AttachmentKind, AttendanceStatus, CheckInMethod, MeetingStatus

# Mobile members take part in the life of their inflow branch (docs/rules.md §5).  The mobility app (above this one)
# registers from its ready() a function `fn(paths) -> queryset of member ids` whose inflow branch lies under one of
# `paths`; life reads it without importing mobility.
_inflow_sources: list[Callable] = []


def register_inflow_members(fn: Callable) -> None:
    if fn not in _inflow_sources:
        _inflow_sources.append(fn)


def inflow_members_q(paths: list[str], field: str = "member_id") -> Q | None:
    """`field` is a member in an inflow branch under `paths` (None: nothing registered or no paths)."""
    if not paths:
        return None
    q = None
    for fn in _inflow_sources:
        part = Q(**{f"{field}__in": fn(paths)})
        q = part if q is None else q | part
    return q


def with_inflow(own: Q | None, scope, action) -> Q | None:
    inflow = inflow_members_q(scope.paths_for(action)) if action == "view" else None
    if inflow is None:
        return own
    return inflow if own is None else own | inflow


class MeetingQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        # A member sees the meetings of their own branch (to check in and read the record).
        paths = scope.member_org_paths() if action == "view" else []
        return Q(org_path__in=paths) if paths else None


class Meeting(models.Model):
    """One meeting of a branch (三会一课, theme day, review meeting ...), from plan to approved record.

    `due_count`/`present_count`/`guest_count` are kept by the attendance services so that compliance
    sums meetings, never the (much larger) attendance table.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="党支部"
    )
    org_path = models.CharField(max_length=255)
    meeting_type = models.ForeignKey(
        "life.MeetingType", on_delete=models.PROTECT, related_name="meetings", verbose_name="会议类型"
    )
    theme = models.ForeignKey(
        "life.MonthlyTheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name="月度主题",
    )
    plan_item = models.ForeignKey(
        "life.PlanItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name="计划事项",
    )
    title = models.CharField("会议名称", max_length=200)
    planned_on = models.DateField("计划日期", null=True, blank=True)
    held_on = models.DateField("召开日期", null=True, blank=True)
    starts_at = models.TimeField("开始时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    host = models.CharField("主持人", max_length=50, blank=True)
    recorder = models.CharField("记录人", max_length=50, blank=True)
    lecturer = models.CharField("授课人", max_length=50, blank=True)
    agenda = models.TextField("议程", blank=True)
    minutes = models.TextField("会议记录", blank=True)
    decisions = models.TextField("决定事项", blank=True)
    study_hours = models.DecimalField("学习时长（小时）", max_digits=4, decimal_places=1, default=0)
    status = models.CharField(
        "状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    due_count = models.PositiveIntegerField("应到人数", default=0)
    present_count = models.PositiveIntegerField("实到人数", default=0)
    guest_count = models.PositiveIntegerField("列席/外支部人数", default=0)
    checklist_required = models.PositiveSmallIntegerField("规定动作数", default=0)
    checklist_done = models.PositiveSmallIntegerField("已完成规定动作数", default=0)
    committee_size = models.PositiveSmallIntegerField("委员人数", null=True, blank=True)
    committee_present = models.PositiveSmallIntegerField("到会委员人数", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-planned_on", "-id"]
        indexes = [
            models.Index(
                fields=["org_path", "held_on"],
                name="life_meeting_path_held_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(
                fields=["org_path", "planned_on"],
                name="life_meeting_path_plan_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["status", "org_path"], name="life_meeting_status_idx"),
            models.Index(fields=["organisation", "held_on"], name="life_meeting_org_held_idx"),
        ]
        verbose_name = "会议"
        verbose_name_plural = "会议"

    def __str__(self):
        return self.title

    @property
    def attendance_rate(self) -> float | None:
        return self.present_count / self.due_count if self.due_count else None

    @property
    def is_editable(self) -> bool:
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.RETURNED)


class AttendanceQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        # The member's own rows; an inflow branch reads its mobile members' rows (meetings at home too).
        own = Q(member_id__in=scope.member_ids) if action == "view" and scope.member_ids else None
        return with_inflow(own, scope, action)


class Attendance(models.Model):
    """Who was due, present or absent (with reason), and guests from other branches.

    A guest keeps `home_org_path` so that their own branch is credited too (docs/rules.md §5: a mobile
    member may join the life of several organisations).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    org_path = models.CharField(max_length=255, db_index=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    absence_reason = models.CharField("缺席原因", max_length=200, blank=True)
    leave_approved = models.BooleanField("已请假获准", default=False)
    is_guest = models.BooleanField("外支部/列席", default=False)
    home_organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所在党支部",
    )
    home_org_path = models.CharField(max_length=255, blank=True, db_index=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    method = models.CharField(
        "登记方式", max_length=10, choices=CheckInMethod.choices, default=CheckInMethod.MANUAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="life_attendance_unique")]
        indexes = [models.Index(fields=["member", "meeting"], name="life_attendance_member_idx")]
        ordering = ["meeting", "is_guest", "id"]
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"

    def __str__(self):
        return f"{self.member_id} {self.get_status_display()}"


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    org_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(
        "类型", max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO
    )
    file = models.FileField("文件", upload_to="life/%Y/%m/")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = "会议附件"
        verbose_name_plural = "会议附件"

    def __str__(self):
        return self.caption or self.file.name


class ChecklistCompletion(models.Model):
    """A checklist item done at a meeting with its evidence, or not done with a written reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="completions")
    org_path = models.CharField(max_length=255, db_index=True)
    item = models.ForeignKey("life.ChecklistItem", on_delete=models.PROTECT, related_name="completions")
    done = models.BooleanField("已完成", default=True)
    evidence = models.CharField("完成情况/佐证", max_length=500, blank=True)
    attachment = models.ForeignKey(
        MeetingAttachment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="佐证材料",
    )
    skipped_reason = models.CharField("未完成理由", max_length=255, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "item"], name="life_completion_unique")]
        verbose_name = "动作完成情况"
        verbose_name_plural = "动作完成情况"

    def __str__(self):
        return f"{self.item} {'✓' if self.done else '✗'}"


class CheckInCode(models.Model):
    """A QR token for a running meeting; scanning it after `expires_at` is refused."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checkin_codes")
    org_path = models.CharField(max_length=255, db_index=True)
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("有效期至")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "签到码"
        verbose_name_plural = "签到码"

    def __str__(self):
        return f"{self.meeting} 签到码"


class MeetingExemption(models.Model):
    """A branch excused from a meeting type (or all types) for a span of months, with a reason."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="党组织"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    meeting_type = models.ForeignKey(
        "life.MeetingType",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="会议类型",
        help_text="空表示所有类型",
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期")
    reason = models.CharField("理由", max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "-starts_on"]
        verbose_name = "免于考核"
        verbose_name_plural = "免于考核"

    def __str__(self):
        return f"{self.organisation} {self.starts_on}–{self.ends_on}"
