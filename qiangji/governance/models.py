"""Models of the governance app: the micro-power catalogue and its cases (小微权力清单), whistle-blowing
reports routed to the village's supervisors, and major decisions (四议两公开) with the township's pre-review.

Every row sits on the village's (or the county's, for catalogue rows) organisation path.  Rule values —
the step templates, notice windows, the decision list and its money thresholds — are rows with a
`source`, seeded by migration 0002 and editable by a county (docs/rules.md §9)."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from qiangji.core.choices import Action
from qiangji.core.models import ScopedModel
from qiangji.core.scoping import ScopedQuerySet, prefix_q, scope_of
from qiangji.governance.choices import (
    CaseStatus,
    Choice,
    ContactRole,
    DecisionStage,
    DecisionStatus,
    FindingStatus,
    ObjectionStatus,
    Outcome,
    PointKind,
    PreReview,
    ReportStatus,
    StepRole,
    VisitKind,
    VoteKind,
)


def _above_grants(scope) -> list[str]:
    """ "" and every ancestor of the user's grant nodes: the catalogue rows that apply to their subtree."""
    paths = {""}
    for path, _role in scope.grants:
        paths.update(path[:end] for end in range(4, len(path), 4))
    return sorted(paths)


class CatalogueQuerySet(ScopedQuerySet):
    """A county's own rows (changed there), read also by everyone below the county, whose villages follow
    them; and the national templates (org_path "") for anyone with a grant."""

    def self_scope(self, user, scope, action):
        if action == Action.VIEW and scope.has_any_grant:
            return Q(**{f"{self.scope_path_field}__in": _above_grants(scope)})
        return None


class PowerItem(ScopedModel):
    """One item of the micro-power list: what power, on what legal basis, under what conditions.

    `org_path` "" is a national template (seeded); a county adopts it into its own path and edits it."""

    code = models.CharField("事项编码", max_length=40)
    title = models.CharField("事项名称", max_length=100)
    legal_basis = models.TextField("法律政策依据")
    conditions = models.TextField("办理条件")
    source = models.CharField("来源", max_length=255)
    is_active = models.BooleanField("启用", default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "code"]
        constraints = [models.UniqueConstraint(fields=["org_path", "code"], name="gov_item_unique_code")]
        verbose_name = "小微权力事项"
        verbose_name_plural = "小微权力清单"

    def __str__(self):
        return self.title


class PowerStepQuerySet(CatalogueQuerySet):
    scope_path_field = "item__org_path"


class PowerStep(models.Model):
    """One step of an item's template: who takes it, within how many days, with which documents, and how
    many days it is publicly noticed (0: not a notice step)."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节", max_length=60)
    role = models.CharField("办理主体", max_length=20, choices=StepRole.choices)
    time_limit_days = models.PositiveSmallIntegerField("办理时限（日）", null=True, blank=True)
    required_documents = models.JSONField("须提交材料", default=list, blank=True)
    notice_days = models.PositiveSmallIntegerField("公示天数", default=0)

    objects = PowerStepQuerySet.as_manager()

    class Meta:
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="gov_step_unique_order")]
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"

    def __str__(self):
        return f"{self.order}. {self.name}"


class PowerCase(ScopedModel):
    """One matter handled under an item (e.g. one household's minimum-allowance application).  The template's
    steps are copied in when the case opens, so a county editing its list does not change a case under way.
    The only personal datum is the applicant's name, shown masked on every public page."""

    item = models.ForeignKey(PowerItem, on_delete=models.PROTECT, related_name="cases")
    village = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("编号", max_length=30, unique=True)
    applicant_name = models.CharField("申请人", max_length=50)
    subject = models.CharField("事由", max_length=200)
    steps = models.JSONField("办理流程（开办时的模板）", default=list)
    next_order = models.PositiveSmallIntegerField("下一环节", default=1)
    status = models.CharField("状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField("受理日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["org_path", "status"], name="gov_case_path_status")]
        verbose_name = "小微权力事项办理"
        verbose_name_plural = "小微权力事项办理"

    def __str__(self):
        return f"{self.number} {self.subject}"

    def step_spec(self, order: int) -> dict | None:
        return next((step for step in self.steps if step["order"] == order), None)


class CaseStep(ScopedModel):
    """A step taken on a case; a notice step carries its text and window (both days included)."""

    case = models.ForeignKey(PowerCase, on_delete=models.CASCADE, related_name="records")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节", max_length=60)
    done_on = models.DateField("办理日期")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty only for rows loaded by the generator
    person_name = models.CharField("经办人", max_length=50)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.PASS)
    note = models.CharField("意见", max_length=500, blank=True)
    documents = models.JSONField("已提交材料", default=list, blank=True)
    late = models.BooleanField("超出办理时限", default=False)
    notice_text = models.TextField("公示内容", blank=True)
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_to = models.DateField("公示结束", null=True, blank=True)

    class Meta:
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="gov_casestep_once")]
        indexes = [models.Index(fields=["org_path", "notice_to"], name="gov_casestep_notice")]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self):
        return f"{self.case.number} {self.order}. {self.name}"

    @property
    def is_notice(self) -> bool:
        return self.notice_from is not None


class Objection(ScopedModel):
    """An objection raised during a notice window; while it is open the case's next step is refused."""

    case = models.ForeignKey(PowerCase, on_delete=models.CASCADE, related_name="objections")
    notice = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField("收到日期")
    content = models.TextField("异议内容")
    status = models.CharField(
        "状态", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.CharField("核实处理意见", max_length=500, blank=True)
    resolved_on = models.DateField("处理日期", null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"

    def __str__(self):
        return f"{self.case.number} 异议 {self.received_on:%Y-%m-%d}"


class SupervisionContact(ScopedModel):
    """Who receives a village's whistle-blowing reports: its discipline member or supervision committee."""

    village = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField("身份", max_length=20, choices=ContactRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["village", "user"], name="gov_contact_once")]
        verbose_name = "村级监督联系人"
        verbose_name_plural = "村级监督联系人"

    def __str__(self):
        return f"{self.village} {self.get_role_display()}"


class WhistleQuerySet(ScopedQuerySet):
    """Routed to the village's supervisors and to the organisations above the village — never to the
    village's own officers (a grant on the village itself) and never to a person the report names."""

    def visible_to(self, user, action: str = Action.VIEW):
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_of(user)
        named = Exists(
            WhistleReport.named_users.through.objects.filter(whistlereport=OuterRef("pk"), user=user)
        )
        contact = Exists(SupervisionContact.objects.filter(village=OuterRef("village"), user=user))
        if scope.is_superuser:
            return self.exclude(named)
        above = prefix_q("org_path", scope.paths_for(action))
        own_nodes = [path for path, _role in scope.grants]
        q = contact
        if above is not None:
            q = q | (above & ~Q(org_path__in=own_nodes))
        return self.filter(q).exclude(named)


class WhistleReport(ScopedModel):
    """A whistle-blowing report about a village's use of power (信访举报)."""

    village = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("编号", max_length=30, unique=True)
    received_on = models.DateField("收到日期")
    content = models.TextField("举报内容")
    named_text = models.CharField("被反映人", max_length=200, blank=True)
    named_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    case = models.ForeignKey(PowerCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    outcome = models.TextField("办理结果", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    objects = WhistleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "举报"
        verbose_name_plural = "举报"

    def __str__(self):
        return self.number


# ----- 四议两公开 -----------------------------------------------------------------------------------------


class DecisionRule(ScopedModel):
    """One matter of a county's village major-decision list: it must go through 四议两公开 when its amount
    reaches `money_threshold` (no threshold: always).  org_path "" rows are the seeded national defaults."""

    matter = models.CharField("事项类别", max_length=40)
    label = models.CharField("事项", max_length=100)
    money_threshold = models.DecimalField(
        "金额标准（元，达到即须履行）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("来源", max_length=255)
    is_active = models.BooleanField("启用", default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "matter"]
        constraints = [models.UniqueConstraint(fields=["org_path", "matter"], name="gov_rule_unique")]
        verbose_name = "村级重大事项决策清单"
        verbose_name_plural = "村级重大事项决策清单"

    def __str__(self):
        return self.label


class Representative(ScopedModel):
    """A member of the villagers' representatives' assembly (村民代表), the roll of its votes."""

    village = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    since = models.DateField("任职起")
    until = models.DateField("任职止", null=True, blank=True)

    class Meta:
        ordering = ["village", "name", "id"]
        verbose_name = "村民代表"
        verbose_name_plural = "村民代表"

    def __str__(self):
        return self.name


class Decision(ScopedModel):
    """A village's major decision through 四议两公开; `stage` is the last stage done."""

    village = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(DecisionRule, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("编号", max_length=30, unique=True)
    title = models.CharField("事项", max_length=200)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    description = models.TextField("提议内容")
    stage = models.CharField("已完成环节", max_length=20, choices=DecisionStage.choices)
    status = models.CharField(
        "状态", max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    proposed_on = models.DateField("提议日期")
    discussed_on = models.DateField("商议日期", null=True, blank=True)
    discussion_note = models.TextField("商议意见", blank=True)
    discussion_attendees = models.CharField("参加商议的两委成员", max_length=300, blank=True)
    deliberated_on = models.DateField("审议日期", null=True, blank=True)
    resolved_on = models.DateField("决议日期", null=True, blank=True)
    resolution_text = models.TextField("决议内容", blank=True)
    published_on = models.DateField("决议公开日期", null=True, blank=True)
    prereview = models.CharField(
        "乡镇党委前置审核", max_length=20, choices=PreReview.choices, default=PreReview.PENDING
    )
    prereview_on = models.DateField("审核日期", null=True, blank=True)
    prereview_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prereview_note = models.CharField("审核意见", max_length=500, blank=True)
    executed_on = models.DateField("实施日期", null=True, blank=True)
    execution_note = models.TextField("实施情况", blank=True)
    outcome_published_on = models.DateField("结果公开日期", null=True, blank=True)
    outcome_text = models.TextField("实施结果", blank=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [
            models.Index(fields=["org_path", "prereview", "stage"], name="gov_decision_queue"),
        ]
        verbose_name = "村级重大事项决策"
        verbose_name_plural = "村级重大事项决策"

    def __str__(self):
        return f"{self.number} {self.title}"


class DecisionVote(ScopedModel):
    """One meeting's vote on a decision; the numbers are computed from the attendance lines, never typed."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    kind = models.CharField("会议", max_length=20, choices=VoteKind.choices)
    held_on = models.DateField("会议日期")
    entitled = models.PositiveIntegerField("应到")
    present = models.PositiveIntegerField("实到")
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对")
    abstentions = models.PositiveIntegerField("弃权")
    quorate = models.BooleanField("到会人数符合规定")
    passed = models.BooleanField("通过")

    class Meta:
        ordering = ["decision", "held_on", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "kind"], name="gov_vote_once")]
        verbose_name = "表决"
        verbose_name_plural = "表决"

    def __str__(self):
        return f"{self.decision.number} {self.get_kind_display()}"


class DecisionAttendance(models.Model):
    """One line of a vote's attendance list: a Party member (党员大会) or a representative."""

    vote = models.ForeignKey(DecisionVote, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    representative = models.ForeignKey(
        Representative, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    present = models.BooleanField("到会")
    choice = models.CharField("表决", max_length=10, choices=Choice.choices, blank=True)
    reason = models.CharField("缺席原因", max_length=200, blank=True)

    class Meta:
        ordering = ["vote", "id"]
        verbose_name = "到会情况"
        verbose_name_plural = "到会情况"

    def __str__(self):
        return self.name


# ----- 联系点、走访、蹲点、四不两直 --------------------------------------------------------------------------


class ContactPoint(ScopedModel):
    """A leader's contact point (联系点) at a village, branch, enterprise or platform; `org_path` is the
    point's own path, so the point, its township and everyone above see it.  `interval_months` is how long
    the point may go without a visit before it shows as a gap (L: local rules ask for several visits a year)."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    leader_name = models.CharField("联系领导", max_length=50)
    leader_title = models.CharField("职务", max_length=60, blank=True)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=PointKind.choices)
    since = models.DateField("建立日期")
    interval_months = models.PositiveSmallIntegerField("走访间隔（月）", default=3)
    source = models.CharField("间隔来源", max_length=255, default="地方做法（L）：每年走访不少于4次")
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["org_path", "id"]
        verbose_name = "联系点"
        verbose_name_plural = "联系点"

    def __str__(self):
        return f"{self.leader_name} · {self.organisation}"


class Visit(ScopedModel):
    """A visit, a squat (蹲点, from–to with a report) or a random visit (四不两直) at a contact point."""

    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField("方式", max_length=20, choices=VisitKind.choices)
    visited_on = models.DateField("日期")
    until = models.DateField("蹲点至", null=True, blank=True)
    people = models.CharField("参加人员", max_length=300)
    summary = models.TextField("情况")
    report = models.TextField("调研报告", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["point", "visited_on"], name="gov_visit_point_day")]
        verbose_name = "走访调研"
        verbose_name_plural = "走访调研"

    def __str__(self):
        return f"{self.point} {self.get_kind_display()} {self.visited_on:%Y-%m-%d}"


class VisitPhoto(ScopedModel):
    """A photo of a visit, accepted by its content (Pillow decodes it: JPEG, PNG or WebP)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("照片", upload_to="governance/visits/%Y/%m/")

    class Meta:
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"

    def __str__(self):
        return self.image.name


class Finding(ScopedModel):
    """A problem found on a visit, tracked to closure: an owner, a deadline, closure evidence."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="findings")
    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="findings")
    description = models.TextField("问题")
    owner_name = models.CharField("责任人（单位）", max_length=100)
    deadline = models.DateField("整改时限")
    status = models.CharField(
        "状态", max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    evidence = models.TextField("销号佐证", blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["org_path", "status", "deadline"], name="gov_finding_due")]
        verbose_name = "调研发现问题"
        verbose_name_plural = "调研发现问题"

    def __str__(self):
        return self.description[:40]
