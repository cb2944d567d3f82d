"""Models of the education app (百万党员进党校): hour rules, the hours ledger, online courses and progress.

Hours are stored as integer half-hours (`half_hours`): the smallest unit is 0.5 hour (docs/rules.md §3).
Branch study and theme-day 首学 are not copied here: the ledger reads them from life's attendance.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core.models import ScopedModel
from qiangji.core.scoping import ScopedQuerySet, ancestor_paths
from qiangji.education.choices import (
    BookingStatus,
    Channel,
    ChapterKind,
    ClassStatus,
    FundingSource,
    Mark,
    Provider,
    QuestionKind,
    RuleCode,
    SessionStatus,
    SiteKind,
    Source,
)


class HourRuleQuerySet(models.QuerySet):
    def value_of(self, code: str, default: int = 0) -> int:
        row = self.filter(code=code).values_list("value", flat=True).first()
        return default if row is None else int(row)


class HourRule(models.Model):
    """One rule of the hours ledger, as data with its source (seeded by migration 0002, editable by admins).

    `value` is in the rule's `unit`: half-hours for hours, months for periods, a count for trainings.
    """

    code = models.CharField("规则代码", max_length=40, choices=RuleCode.choices, unique=True)
    title = models.CharField("规则", max_length=200)
    value = models.PositiveIntegerField("取值")
    unit = models.CharField("单位", max_length=20)
    mark = models.CharField("性质", max_length=1, choices=Mark.choices)
    source = models.CharField("依据", max_length=255)

    objects = HourRuleQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "学时规则"
        verbose_name_plural = "学时规则"

    def __str__(self):
        return f"{self.title}：{self.value}{self.unit}"


class MemberRowsQuerySet(ScopedQuerySet):
    """Rows about one member: their organisation's managers see them, and the member sees their own."""

    def self_scope(self, user, scope, action):
        return Q(member_id__in=scope.member_ids) if action == "view" and scope.member_ids else None


class HourEntry(ScopedModel):
    """Hours credited to one member in one year from one source (not branch study: read from life).

    `origin` names what credited the hours ("chapter:12", "class:3") so crediting is idempotent;
    outside training entered by hand has no origin and needs evidence.
    """

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    provider = models.CharField("组织方", max_length=20, choices=Provider.choices)
    half_hours = models.PositiveIntegerField("学时（半小时）")
    concentrated = models.BooleanField("集中培训", default=False)
    induction = models.BooleanField("任职培训", default=False)
    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期")
    origin = models.CharField("来源记录", max_length=60, blank=True)
    evidence = models.FileField("佐证材料", upload_to="education/evidence/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MemberRowsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "origin"], condition=~Q(origin=""), name="education_entry_origin_once"
            ),
            models.CheckConstraint(condition=Q(half_hours__gte=1), name="education_entry_positive"),
        ]
        indexes = [models.Index(fields=["member", "year"], name="education_entry_member_year")]
        ordering = ["-held_on", "-id"]
        verbose_name = "学时记录"
        verbose_name_plural = "学时记录"

    def __str__(self):
        return f"{self.title} {self.half_hours / 2:g}学时"

    @property
    def hours(self) -> float:
        return self.half_hours / 2


def _learner_paths(scope, action) -> list[str]:
    """The user's organisations and every organisation above them: their published courses reach a
    member of the branch (and a committee below can preview what was pushed down to it)."""
    if action != "view":
        return []
    return sorted({p for own, _role in scope.grants for p in (*ancestor_paths(own), own)})


class CourseQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        # A member sees the published courses of their branch and of every organisation above it.
        paths = _learner_paths(scope, action)
        return Q(org_path__in=paths, published=True) if paths else None


class Course(ScopedModel):
    """An online course published by an organisation to its subtree."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="发布组织"
    )
    title = models.CharField("课程名称", max_length=200)
    description = models.TextField("简介", blank=True)
    provider = models.CharField("组织方", max_length=20, choices=Provider.choices, default=Provider.OWN)
    max_speed_pct = models.PositiveSmallIntegerField(
        "允许的最高倍速（%）", default=150, help_text="100 = 正常速度；学习时长不得少于 时长 ÷ 倍速"
    )
    published = models.BooleanField("已发布", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "网络课程"
        verbose_name_plural = "网络课程"

    def __str__(self):
        return self.title

    @property
    def max_speed(self) -> float:
        return self.max_speed_pct / 100


class ChapterQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        paths = _learner_paths(scope, action)
        return Q(org_path__in=paths, course__published=True) if paths else None


class Chapter(ScopedModel):
    """One chapter of a course: a media file (video, audio, PDF) served through the app, or text."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveSmallIntegerField("顺序", default=1)
    title = models.CharField("章节名称", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=ChapterKind.choices)
    file = models.FileField("文件", upload_to="education/chapters/%Y/", blank=True)
    content_type = models.CharField("文件类型", max_length=60, blank=True)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    body = models.TextField("正文", blank=True)
    duration_seconds = models.PositiveIntegerField("时长（秒）")
    half_hours = models.PositiveIntegerField("学时（半小时）")
    checks = models.PositiveSmallIntegerField("随机检查次数", default=1)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = "课程章节"
        verbose_name_plural = "课程章节"

    def __str__(self):
        return f"{self.course} · {self.title}"

    @property
    def hours(self) -> float:
        return self.half_hours / 2

    @property
    def minutes(self) -> int:
        return max(1, round(self.duration_seconds / 60))

    @property
    def is_timed(self) -> bool:
        return self.kind in (ChapterKind.VIDEO, ChapterKind.AUDIO)


class WatchSession(ScopedModel):
    """One viewing of a chapter on one device: the watched intervals aggregated in this row.

    Heartbeats are never stored: each one is checked (sequence, elapsed server time × allowed speed, the
    device's session still current) and merged into `intervals` (sorted, non-overlapping [start, end]
    seconds). `wall_seconds` is the server-measured playing time credited. A random in-content check
    (`check_at`, `check_code`) pauses crediting from `check_at` until it is answered.
    """

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sessions")
    token = models.CharField(max_length=43, unique=True)
    status = models.CharField(max_length=12, choices=SessionStatus.choices, default=SessionStatus.ACTIVE)
    last_seq = models.PositiveIntegerField(default=0)
    last_seen_at = models.DateTimeField()
    position = models.FloatField(default=0)
    intervals = models.JSONField(default=list)
    covered_seconds = models.FloatField(default=0)
    wall_seconds = models.FloatField(default=0)
    check_at = models.JSONField(default=list)  # positions (seconds) of the checks still to come
    check_code = models.CharField(max_length=4, blank=True)
    check_pending = models.BooleanField(default=False)
    checks_passed = models.PositiveSmallIntegerField(default=0)

    objects = MemberRowsQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["member", "status"], name="education_session_member")]
        ordering = ["-created_at"]
        verbose_name = "学习会话"
        verbose_name_plural = "学习会话"


class ChapterCompletion(ScopedModel):
    """A chapter completed by a member (once): the hours went to the ledger in the same transaction."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="completions")
    covered_seconds = models.FloatField()
    wall_seconds = models.FloatField()
    entry = models.ForeignKey(HourEntry, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = MemberRowsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "chapter"], name="education_completion_once")
        ]
        verbose_name = "完成记录"
        verbose_name_plural = "完成记录"


# ----- classes (班次) ----------------------------------------------------------------------------------


class TeachingSite(ScopedModel):
    """A party school, training base or teaching station with its capacity (seats)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=SiteKind.choices)
    capacity = models.PositiveIntegerField("容纳人数")
    address = models.CharField("地址", max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "name"]
        verbose_name = "教学阵地"
        verbose_name_plural = "教学阵地"

    def __str__(self):
        return f"{self.name}（{self.capacity}人）"


class PushedDownQuerySet(ScopedQuerySet):
    """Rows an organisation runs for its subtree: everybody below may view them (to enrol, to check in)."""

    def self_scope(self, user, scope, action):
        paths = _learner_paths(scope, action)
        return Q(org_path__in=paths) if paths else None


class TrainingClass(ScopedModel):
    """A class (班次) run by an organisation: planned with quotas, sessions with QR attendance, then 结业.

    Its own rule: the theory courses' minimum share of the class hours (`theory_share_min_pct`) and the
    attendance a member needs for 结业 (`completion_pct`)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("班次名称", max_length=200)
    site = models.ForeignKey(
        TeachingSite, null=True, blank=True, on_delete=models.PROTECT, related_name="classes"
    )
    provider = models.CharField(
        "组织方", max_length=20, choices=Provider.choices, default=Provider.SCHOOL_TOPIC
    )
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期")
    theory_share_min_pct = models.PositiveSmallIntegerField("理论课程最低占比（%）", default=50)
    completion_pct = models.PositiveSmallIntegerField("结业所需出勤学时占比（%）", default=80)
    status = models.CharField("状态", max_length=12, choices=ClassStatus.choices, default=ClassStatus.PLANNED)
    completed_at = models.DateTimeField("结业时间", null=True, blank=True)

    objects = PushedDownQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "培训班次"
        verbose_name_plural = "培训班次"

    def __str__(self):
        return self.title


class ClassQuota(ScopedModel):
    """Seats of a class given to one organisation (its members and its subtree's)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="quotas")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveIntegerField("名额")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training_class", "organisation"], name="education_quota_once")
        ]
        verbose_name = "班次名额"
        verbose_name_plural = "班次名额"


class Enrolment(ScopedModel):
    """A member enrolled in a class on one organisation's quota; `graduated` = 结业."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="enrolments")
    quota = models.ForeignKey(ClassQuota, on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    attended_hh = models.PositiveIntegerField("出勤学时（半小时）", default=0)
    graduated = models.BooleanField("已结业", default=False)

    objects = MemberRowsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training_class", "member"], name="education_enrolment_once")
        ]
        ordering = ["training_class", "id"]
        verbose_name = "学员"
        verbose_name_plural = "学员"


class ClassSession(ScopedModel):
    """One session (课次) of a class: its hours, whether a theory course, the QR check-in."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField("课程", max_length=200)
    held_on = models.DateField("日期")
    half_hours = models.PositiveIntegerField("学时（半小时）")
    is_theory = models.BooleanField("理论课程", default=True)
    lecturer = models.CharField("授课人", max_length=50, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["training_class", "held_on", "id"]
        verbose_name = "课次"
        verbose_name_plural = "课次"

    def __str__(self):
        return f"{self.held_on:%m-%d} {self.title}"

    @property
    def hours(self) -> float:
        return self.half_hours / 2


class SessionAttendance(ScopedModel):
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=10, default="qr")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="education_attendance_once")
        ]
        verbose_name = "课次签到"
        verbose_name_plural = "课次签到"


class Funding(ScopedModel):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField("经费来源", max_length=10, choices=FundingSource.choices)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训经费"
        verbose_name_plural = "培训经费"


# ----- question bank, exams, certificates -----------------------------------------------------------


class Question(ScopedModel):
    """One question of an organisation's bank. `options`: [{"text", "correct"}] for choice questions;
    `answers`: the accepted texts of a short-answer question; a true/false question has `answers` ["T"|"F"]."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    bank = models.CharField("题库", max_length=100)
    kind = models.CharField("题型", max_length=12, choices=QuestionKind.choices)
    title = models.CharField("题目名称", max_length=200, blank=True)
    text = models.TextField("题干")
    options = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=list, blank=True)

    objects = PushedDownQuerySet.as_manager()

    class Meta:
        ordering = ["bank", "id"]
        verbose_name = "试题"
        verbose_name_plural = "试题"

    def __str__(self):
        return self.title or self.text[:40]


class Exam(ScopedModel):
    """An exam over the questions of one bank: pass mark, time limit (server-side deadline), attempts."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("考试名称", max_length=200)
    questions = models.ManyToManyField(Question, related_name="exams")
    pass_mark_pct = models.PositiveSmallIntegerField("及格分数线（%）", default=60)
    time_limit_minutes = models.PositiveSmallIntegerField("考试时长（分钟）", default=30)
    max_attempts = models.PositiveSmallIntegerField("允许考试次数", default=2)

    objects = PushedDownQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "考试"
        verbose_name_plural = "考试"

    def __str__(self):
        return self.title


class Attempt(ScopedModel):
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("第几次")
    deadline = models.DateTimeField("截止时间")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    answers = models.JSONField(default=dict)
    score_pct = models.PositiveSmallIntegerField("得分（%）", null=True, blank=True)
    passed = models.BooleanField("合格", default=False)

    objects = MemberRowsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "member", "number"], name="education_attempt_once")
        ]
        ordering = ["-created_at"]
        verbose_name = "答卷"
        verbose_name_plural = "答卷"


class Certificate(ScopedModel):
    """A certificate for a passed exam; its number is verifiable on the public page."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField("证书编号", max_length=32, unique=True)
    title = models.CharField("证书名称", max_length=200)
    issued_on = models.DateField("发证日期")

    objects = MemberRowsQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "结业证书"
        verbose_name_plural = "结业证书"

    def __str__(self):
        return self.number


# ----- lecturer pool (师资库) ---------------------------------------------------------------------------


class Lecturer(ScopedModel):
    """A lecturer in an organisation's pool, bookable by every organisation below it."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务/职称", max_length=100, blank=True)
    topics = models.CharField("宣讲专题", max_length=300)
    bio = models.TextField("简介", blank=True)

    objects = PushedDownQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "name"]
        verbose_name = "师资"
        verbose_name_plural = "师资库"

    def __str__(self):
        return self.name


class Booking(ScopedModel):
    """A branch books a lecturer for a theme day (送学): `org_path` is the booking branch's."""

    lecturer = models.ForeignKey(Lecturer, on_delete=models.PROTECT, related_name="bookings")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("专题", max_length=200)
    held_on = models.DateField("日期")
    half_hours = models.PositiveIntegerField("学时（半小时）")
    status = models.CharField(
        "状态", max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "送学预约"
        verbose_name_plural = "送学预约"


class Rating(ScopedModel):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField("评分")

    objects = MemberRowsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "member"], name="education_rating_once"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="education_rating_stars"),
        ]
        verbose_name = "授课评价"
        verbose_name_plural = "授课评价"
