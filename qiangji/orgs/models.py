from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from qiangji.core.choices import Role
from qiangji.core.scoping import PATH_STEP, ScopedQuerySet
from qiangji.orgs.choices import BRANCH_KINDS, OrgCategory, OrgKind, Post, UnitRelation

# A branch anchored to a second line (a new employment group's dual anchor: platform company or street) is visible
# to that line too.  The mobility app (above this one) registers from its ready() `fn(paths) -> queryset of
# organisation ids` anchored to an organisation under one of `paths`; the tree reads it without importing mobility.
_second_lines: list[Callable] = []


def register_second_line(fn: Callable) -> None:
    if fn not in _second_lines:
        _second_lines.append(fn)


class OrganisationQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    scope_path_field = "path"

    def self_scope(self, user, scope, action):
        # A member sees their own organisation (the node only, not its subtree); a second line sees the branches
        # anchored to it (the node only).
        paths = scope.member_org_paths() if action == "view" else []
        q = Q(path__in=paths) if paths else None
        lines = scope.paths_for(action) if action == "view" and _second_lines else []
        for fn in _second_lines if lines else ():
            anchored = Q(pk__in=fn(lines))
            q = anchored if q is None else q | anchored
        return q

    def active(self):
        return self.filter(dissolved_on__isnull=True)


class OrganisationManager(MP_NodeManager):
    def get_queryset(self):
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user, action="view"):
        return self.get_queryset().visible_to(user, action)


class Organisation(MP_Node):
    """A Party organisation; the tree is a materialised path (`path`, 4 characters a level)."""

    steplen = PATH_STEP
    name = models.CharField("党组织全称", max_length=200)
    short_name = models.CharField("简称", max_length=60, blank=True)
    kind = models.CharField("组织类型", max_length=30, choices=OrgKind.choices)
    category = models.CharField(
        "组织类别", max_length=30, choices=OrgCategory.choices, default=OrgCategory.OTHER
    )
    code = models.CharField("组织编码", max_length=32, unique=True, help_text="本平台组织编码")
    national_id = models.CharField("全国系统组织标识", max_length=64, blank=True)
    division_code = models.CharField(
        "行政区划代码", max_length=12, blank=True, help_text="GB/T 2260，6至12位"
    )
    region_code = models.CharField("所属县级区划", max_length=6, blank=True, db_index=True)
    address = models.CharField("地址", max_length=255, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    unit_relation = models.CharField(
        "单位建立党组织情况", max_length=20, choices=UnitRelation.choices, default=UnitRelation.SAME_AS_PARENT
    )
    unit_name = models.CharField("单位名称", max_length=200, blank=True)
    unit_nature = models.CharField("单位性质", max_length=60, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    dissolved_reason = models.CharField("撤销原因", max_length=255, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name="并入",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationManager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"

    def __str__(self):
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class Committee(models.Model):
    """A committee (委员会) elected for a term; `term_ends_on` follows the term rule for the org type."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="committees")
    org_path = models.CharField(max_length=255, db_index=True)
    elected_on = models.DateField("选举日期")
    term_years = models.PositiveSmallIntegerField("任期（年）")
    term_ends_on = models.DateField("任期届满日期")
    ended_on = models.DateField("换届/终止日期", null=True, blank=True)
    note = models.CharField("备注", max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-elected_on"]
        verbose_name = "委员会"
        verbose_name_plural = "委员会"

    def __str__(self):
        return f"{self.organisation} {self.elected_on:%Y}年届"


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats")
    org_path = models.CharField(max_length=255, db_index=True)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "post", "started_on"]
        verbose_name = "委员"
        verbose_name_plural = "委员"

    def __str__(self):
        return f"{self.name}（{self.get_post_display()}）"


class TermRuleQuerySet(models.QuerySet):
    def rule_for(self, kind: str, category: str):
        """The most specific rule: (kind, category) before (kind, any category); None if the type has no term."""
        rules = {rule.category: rule for rule in self.filter(kind=kind, category__in=[category, ""])}
        return rules.get(category) or rules.get("")


class TermRule(models.Model):
    """Term length by organisation type and category (docs/rules.md §2 'terms'; 《中国共产党支部工作条例（试行）》, 《中国共产党基层组织选举工作条例》)."""

    kind = models.CharField("组织类型", max_length=30, choices=OrgKind.choices)
    category = models.CharField(
        "组织类别", max_length=30, choices=OrgCategory.choices, blank=True, help_text="空表示该类型的所有类别"
    )
    years = models.PositiveSmallIntegerField("任期（年）")
    source = models.CharField("依据", max_length=255)

    objects = TermRuleQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "category"], name="term_rule_unique")]
        verbose_name = "任期规则"
        verbose_name_plural = "任期规则"

    def __str__(self):
        return f"{self.get_kind_display()} {self.category or '*'}: {self.years}年"


class StructureRule(models.Model):
    """A threshold of the organisation-structure checks (docs/rules.md §2), kept as data with its source."""

    BRANCH_MIN_FULL_MEMBERS = "branch_min_full_members"
    BRANCH_MAX_MEMBERS = "branch_max_members"
    COMMITTEE_FULL_MEMBERS = "committee_full_members"
    COMMITTEE_MIN_SEATS = "committee_min_seats"
    COMMITTEE_MAX_SEATS = "committee_max_seats"

    code = models.CharField("规则代码", max_length=50, unique=True)
    title = models.CharField("规则", max_length=200)
    value = models.PositiveIntegerField("阈值")
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = "组织设置规则"
        verbose_name_plural = "组织设置规则"

    def __str__(self):
        return f"{self.title}：{self.value}"

    @classmethod
    def values(cls) -> dict[str, int]:
        return dict(cls.objects.values_list("code", "value"))


class Grant(models.Model):
    """A role bound to an organisation node; it covers the node's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants")
    org_path = models.CharField(max_length=255, db_index=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="grant_unique")]
        verbose_name = "授权"
        verbose_name_plural = "授权"

    def __str__(self):
        return f"{self.user} {self.get_role_display()} @ {self.organisation}"
