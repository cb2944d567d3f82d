"""Models of the request desk (接诉即办): categories and desk rules as data, the place registry (compounds and
grids), requests with their status history, work records, neighbour ratings (由邻评事), service stations."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core.models import ScopedModel
from qiangji.core.scoping import ScopedQuerySet, prefix_q, scope_of
from qiangji.service.choices import (
    Audience,
    Channel,
    EventKind,
    LimitUnit,
    Occasion,
    Outcome,
    Phase,
    PlaceKind,
    Rating,
    RatingTarget,
    StationKind,
    Status,
    Tier,
    WorkKind,
)


class Category(models.Model):
    """诉求类别 with its time limit (docs/rules.md §8); an administrator edits the rows, `source` cites the rule."""

    code = models.SlugField("类别代码", max_length=40, unique=True, help_text="Open311 service_code")
    name = models.CharField("类别名称", max_length=60)
    description = models.CharField("说明", max_length=255, blank=True)
    group = models.CharField("分组", max_length=30, blank=True)
    limit_value = models.PositiveIntegerField("办理时限")
    limit_unit = models.CharField("时限单位", max_length=20, choices=LimitUnit.choices)
    extension_max_working_days = models.PositiveIntegerField("最多延期（工作日）", default=10)
    sendback_working_days = models.PositiveIntegerField("派单错误退回时限（工作日）", default=2)
    first_tier = models.CharField("首办层级", max_length=20, choices=Tier.choices, default=Tier.COMPOUND)
    audiences = models.CharField("适用人群", max_length=60, default="resident,rider,driver")
    required_fields = models.JSONField("必填项", default=list, blank=True)
    source = models.CharField("依据", max_length=255)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"

    def __str__(self):
        return self.name

    @property
    def limit_text(self) -> str:
        return f"{self.limit_value}{self.get_limit_unit_display()}"

    def for_audience(self, audience: str) -> bool:
        return audience in self.audiences.split(",")


class DeskRule(models.Model):
    """A number the desk works by (confirmation days, duplicate window, warning thresholds), with its source."""

    CONFIRM_DAYS = "confirm_days"
    DUPLICATE_HOURS = "duplicate_hours"
    DUPLICATE_METRES = "duplicate_metres"
    NO_RESPONSE_HOURS = "no_response_hours"
    NO_PROGRESS_DAYS = "no_progress_days"
    PHOTO_MAX_KB = "photo_max_kb"
    REOPEN_MAX = "reopen_max"

    key = models.SlugField("规则", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    value = models.PositiveIntegerField("数值")
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["key"]
        verbose_name = "接诉即办规则"
        verbose_name_plural = "接诉即办规则"

    def __str__(self):
        return f"{self.name}: {self.value}"

    @classmethod
    def value_of(cls, key: str, default: int) -> int:
        found = cls.objects.filter(key=key).values_list("value", flat=True).first()
        return default if found is None else int(found)


class Place(ScopedModel):
    """A compound (小区) or grid (网格) of the place registry: the unit that handles it first (its branch) and
    the community above; a grid may store its boundary, so a coordinate finds its grid."""

    kind = models.CharField("类型", max_length=20, choices=PlaceKind.choices)
    name = models.CharField("名称", max_length=100)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="承办党组织"
    )
    community = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="所在社区",
    )
    address = models.CharField("地址", max_length=255, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField("网格边界", default=list, blank=True, help_text="[[纬度, 经度], …]")
    property_company = models.CharField("物业服务企业", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["org_path", "name"]
        verbose_name = "小区/网格"
        verbose_name_plural = "小区/网格"

    def __str__(self):
        return self.name


class RequestQuerySet(ScopedQuerySet):
    """A request is seen by its first unit's line (`org_path`, the unit responsible for replying, and every
    tier above it), by the unit now handling it (`current_path`: a department, the district) and, for a
    member, the requests they claimed or registered."""

    def visible_to(self, user, action="view"):
        scope = scope_of(user)
        if scope.is_superuser:
            return self
        if not scope.has_any_grant and not (user and user.is_authenticated):
            return self.none()
        paths = scope.paths_for(action)
        q = None
        for field in ("org_path", "current_path"):
            term = prefix_q(field, paths)
            if term is not None:
                q = term if q is None else q | term
        if action == "view" and user is not None and user.is_authenticated:
            own = Q(submitted_by=user)
            if scope.member_ids:
                own |= Q(claimed_member_id__in=scope.member_ids)
            q = own if q is None else q | own
        return self.filter(q) if q is not None else self.none()

    def open(self):
        return self.filter(status=Status.OPEN)


class Request(ScopedModel):
    number = models.CharField("诉求编号", max_length=20, unique=True)
    token = models.CharField("受理凭证", max_length=32, unique=True)
    access_key = models.CharField(max_length=32)
    query_code_digest = models.CharField(max_length=64, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="requests", verbose_name="类别"
    )
    audience = models.CharField(
        "诉求人类别", max_length=20, choices=Audience.choices, default=Audience.RESIDENT
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    description = models.TextField("诉求内容", max_length=2000)
    address = models.CharField("地点", max_length=255, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, verbose_name="小区/网格"
    )
    photo = models.ImageField("照片", upload_to="service/%Y/%m/", blank=True)
    requester_name = models.CharField("诉求人", max_length=50, blank=True)
    phone_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_suffix = models.CharField("手机尾号", max_length=4, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    phase = models.CharField("办理状态", max_length=20, choices=Phase.choices, default=Phase.PENDING)
    tier = models.CharField("当前层级", max_length=20, choices=Tier.choices)
    first_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="首办单位"
    )
    current_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="当前承办单位"
    )
    current_path = models.CharField(max_length=255, db_index=True)
    assigned_at = models.DateTimeField("派至本级时间")
    due_at = models.DateTimeField("本级办理期限", db_index=True)
    final_due_at = models.DateTimeField("办结期限")
    paused_at = models.DateTimeField("计时暂停于", null=True, blank=True)
    paused_seconds = models.PositiveBigIntegerField(default=0)
    responded_at = models.DateTimeField("首次响应", null=True, blank=True)
    last_progress_at = models.DateTimeField("最近进展", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    escalations = models.PositiveSmallIntegerField("上报次数", default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    sweep_mark = models.BigIntegerField(null=True, blank=True, db_index=True)
    reopened = models.PositiveSmallIntegerField("重办次数", default=0)
    claimed_member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="认领党员",
    )
    # No index: read only with the request; the escalation sweep's UPDATEs are cheaper with fewer indexes.
    claimed_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="认领单位",
        db_index=False,
    )
    answer = models.TextField("答复内容", blank=True)
    outcome = models.CharField("解决情况", max_length=20, choices=Outcome.choices, blank=True)
    rating = models.CharField("满意度", max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    on_time = models.BooleanField("按期办结", null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="合并到",
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "tier", "due_at"], name="service_req_sweep_idx"),
            models.Index(fields=["category", "place", "created_at"], name="service_req_dup_idx"),
        ]
        verbose_name = "诉求"
        verbose_name_plural = "诉求"

    def __str__(self):
        return f"{self.number} {self.category.name if self.category_id else ''}".strip()

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class RequestEvent(models.Model):
    """One line of a request's history, in plain Chinese; read through the request (already in scope)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("事项", max_length=20, choices=EventKind.choices)
    phase = models.CharField("办理状态", max_length=20, choices=Phase.choices)
    tier = models.CharField("层级", max_length=20, choices=Tier.choices, blank=True)
    org_name = models.CharField("单位", max_length=200, blank=True)
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    text = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "诉求办理记录"
        verbose_name_plural = "诉求办理记录"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class WorkRecordQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        return Q(member_id__in=scope.member_ids) if scope.member_ids and action == "view" else None


class WorkRecord(ScopedModel):
    """A claim (认领) or a piece of work on a request by a member or a unit: counts on their records."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="work")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("类型", max_length=20, choices=WorkKind.choices)
    text = models.TextField("工作记录", max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = WorkRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "办理工作记录"
        verbose_name_plural = "办理工作记录"

    def __str__(self):
        return f"{self.get_kind_display()} {self.request_id}"


class NeighbourRating(ScopedModel):
    """由邻评事: a resident rates the compound's property company or owners' committee (即时评、现场评)."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="ratings", verbose_name="小区")
    target = models.CharField("评价对象", max_length=20, choices=RatingTarget.choices)
    occasion = models.CharField("方式", max_length=20, choices=Occasion.choices, default=Occasion.INSTANT)
    score = models.PositiveSmallIntegerField("评分（1-5）")
    comment = models.CharField("意见", max_length=500, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    rated_on = models.DateField("评价日期", db_index=True)

    class Meta:
        ordering = ["-rated_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="service_rating_score_1_5")
        ]
        verbose_name = "由邻评事评价"
        verbose_name_plural = "由邻评事评价"

    def __str__(self):
        return f"{self.place} {self.get_target_display()} {self.score}"


class ServiceStation(ScopedModel):
    """服务驿站 / 司机之家 / 小哥食堂: where riders and drivers rest, eat and bring a problem."""

    kind = models.CharField("类型", max_length=20, choices=StationKind.choices)
    name = models.CharField("名称", max_length=100)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("地址", max_length=255)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    hours = models.CharField("开放时间", max_length=100, blank=True)
    services = models.CharField("服务内容", max_length=255, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "服务站点"
        verbose_name_plural = "服务站点"

    def __str__(self):
        return self.name


class Department(ScopedModel):
    """A government department's Party organisation that claims requests of its categories (部门认领一批)
    from the district pool of its county."""

    organisation = models.OneToOneField("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("部门", max_length=100)
    categories = models.ManyToManyField(Category, blank=True, related_name="departments")

    class Meta:
        ordering = ["name"]
        verbose_name = "承办部门"
        verbose_name_plural = "承办部门"

    def __str__(self):
        return self.name
