import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core.scoping import ScopedQuerySet


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改 (audit entries are append-only)")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除 (audit entries are append-only)")

    def visible_to(self, user, action="audit"):
        return super().visible_to(user, action)


class AuditEntry(models.Model):
    """One append-only entry per service call, written in the service's transaction.

    Names are frozen copies so that the log still reads correctly after a rename or a deletion.
    Database triggers (migrations 0002 and 0006) refuse UPDATE and DELETE as a second line of defence;
    each entry is linked into a hash chain (`AuditSeal`) that `qiangji verify_audit` checks.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: a user who has acted is deactivated, never deleted, so the log keeps its link.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    org_path = models.CharField("组织路径", max_length=255, blank=True, db_index=True)
    org_name = models.CharField("所属组织", max_length=200, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    target_type = models.CharField("对象类型", max_length=80, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=255, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)

    objects = AuditQuerySet.as_manager()
    # org_path is a frozen copy: moving an organisation does not rewrite history.
    org_path_is_frozen = True

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        verbose_name = "审计记录"
        verbose_name_plural = "审计日志"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("审计日志只能追加，不能修改 (audit entries are append-only)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除 (audit entries are append-only)")


class AuditSealQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计链只能追加，不能修改 (audit seals are append-only)")

    def delete(self):
        raise PermissionError("审计链只能追加，不能删除 (audit seals are append-only)")


class AuditSeal(models.Model):
    """One link of the audit hash chain (qiangji.core.auditchain, ADR 0004): the hash of one entry's
    content and of the previous link, in sealing order (`seq`, 1, 2, 3 ...).

    A side table rather than columns of AuditEntry so that sealing never holds a lock inside the
    services' own transactions: entries are sealed right after their transaction commits (and by the
    scheduler's tick), in one short transaction that is the only writer of the chain. Append-only like
    the entries (model, queryset and database triggers). `entry_id` is a plain number, not a foreign
    key: a deleted entry leaves its link behind, which is how `verify_audit` finds it.
    """

    seq = models.BigIntegerField("序号", unique=True)
    entry_id = models.BigIntegerField("审计记录编号", unique=True)
    algorithm = models.CharField("摘要算法", max_length=10)  # "sm3" or "sha256", per link
    entry_hash = models.CharField("记录摘要", max_length=64)
    prev_hash = models.CharField("上一环摘要", max_length=64)
    chain_hash = models.CharField("本环摘要", max_length=64)
    sealed_at = models.DateTimeField("封存时间", auto_now_add=True)

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计链环"
        verbose_name_plural = "审计哈希链"

    def __str__(self) -> str:
        return f"审计链第 {self.seq} 环（记录 {self.entry_id}）"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("审计链只能追加，不能修改 (audit seals are append-only)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计链只能追加，不能删除 (audit seals are append-only)")


class JobQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        return Q(created_by=user)


class Job(models.Model):
    """A long-running operation (import, export, generation) with progress the UI can poll.

    The live progress counter sits in the cache (see core.jobs) so that it is visible while the
    job's own database transaction is still open; this row holds the final state.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=50)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    progress = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease of the process running it (core.jobs): `worker` (host:pid:token) renews `lease_expires_at`
    # by a heartbeat; a running job whose lease has expired lost its process and is failed by the reaper.
    worker = models.CharField("执行进程", max_length=100, blank=True)
    lease_expires_at = models.DateTimeField("租约到期", null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)

    objects = JobQuerySet.as_manager()
    org_path_is_frozen = True

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self):
        return f"{self.kind} {self.get_status_display()}"


class NotificationQuerySet(ScopedQuerySet):
    """A notification belongs to its recipient: nobody else reads it, whatever their grants."""

    def visible_to(self, user, action="view"):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """The in-app notification centre (digests, reminders); e-mail is sent as well when configured."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    kind = models.CharField("类型", max_length=60)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]
        verbose_name = "通知"
        verbose_name_plural = "通知"

    def __str__(self):
        return self.title


class ScopedModel(models.Model):
    """Abstract base for new models whose rows belong to an organisation.

    `org_path` is the owning organisation's materialised path (a live copy: `orgs.services.move_subtree`
    and the member move rewrite it set-wise, see `core.paths`), `region_code` its county's code, so a large
    table can later be distributed by region.  Subclasses declare their own `objects` manager when they
    need a queryset of their own; it must subclass `ScopedQuerySet` (reads go through `visible_to`).
    """

    org_path = models.CharField("组织路径", max_length=255, db_index=True)
    region_code = models.CharField("所属县级区划", max_length=6, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class ScheduledRunQuerySet(ScopedQuerySet):
    """The platform's periodic jobs belong to no organisation: only a superuser (the operator) sees them."""

    def visible_to(self, user, action="view"):
        if user is None or not user.is_authenticated or not user.is_superuser:
            return self.none()
        return self.all()


class ScheduledRun(models.Model):
    """The last run of one periodic job (`core.schedule`): one row per job, updated in place.

    `last_slot` is the scheduled time last claimed: a scheduler enqueues a job only by moving it forward
    (a conditional UPDATE), so two schedulers never enqueue the same run twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败"
        SKIPPED = "skipped", "已跳过（本次已运行过）"

    name = models.CharField("任务", max_length=100, unique=True)
    last_slot = models.DateTimeField("计划运行时间", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, blank=True)
    enqueued_at = models.DateTimeField("排队时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    duration = models.DurationField("用时", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    result = models.JSONField("结果", default=dict, blank=True)

    objects = ScheduledRunQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"

    def __str__(self):
        return f"{self.name} {self.get_status_display()}"


from qiangji.core.models_workdays import WorkdayOverride  # noqa: E402, F401
