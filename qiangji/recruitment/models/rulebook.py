"""Rules as data (docs/rules.md §1, rule sets): each parameter keyed by rule set and validity dates."""

from django.conf import settings
from django.db import models

from qiangji.core.scoping import ScopedQuerySet
from qiangji.recruitment.choices import STEP_CHOICES, Mark, RuleKind, Unit


class Rule(models.Model):
    """One national (or reported/local default) parameter of one rule set, e.g.
    `fzdy-2026` / `step07.activist_min_period`: step 7 needs ≥ 1 year since step 3."""

    rule_set = models.CharField("规则集", max_length=20)
    code = models.CharField("规则代码", max_length=60)
    title = models.CharField("规则", max_length=200)
    step = models.PositiveSmallIntegerField("适用步骤", choices=STEP_CHOICES)
    reference_step = models.PositiveSmallIntegerField("起算步骤", choices=STEP_CHOICES, null=True, blank=True)
    minimum = models.DecimalField("最小值", max_digits=8, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField("最大值", max_digits=8, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=20, choices=Unit.choices, blank=True)
    kind = models.CharField("性质", max_length=10, choices=RuleKind.choices)
    mark = models.CharField("依据等级", max_length=1, choices=Mark.choices)
    enabled = models.BooleanField("启用", default=True)
    source = models.TextField("依据条文")
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="含当日；空表示仍有效")

    class Meta:
        ordering = ["rule_set", "step", "code"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "code"], name="recruitment_rule_unique")]
        verbose_name = "发展党员规则"
        verbose_name_plural = "发展党员规则"

    def __str__(self):
        return f"{self.rule_set}:{self.code}"

    @property
    def qualified_code(self) -> str:
        return f"{self.rule_set}:{self.code}"


class RuleOverride(models.Model):
    """A region's stricter value for a rule (never looser: the service checks that) — set by a
    provincial administrator, audited.  Applies to the organisation's whole subtree."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="overrides")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    minimum = models.DecimalField("最小值", max_digits=8, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField("最大值", max_digits=8, decimal_places=2, null=True, blank=True)
    enabled = models.BooleanField("启用", default=True)
    kind = models.CharField(
        "性质",
        max_length=10,
        choices=RuleKind.choices,
        blank=True,
        help_text="空表示沿用规则本身的性质；只能由提醒改为关卡",
    )
    reason = models.CharField("理由", max_length=500)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "organisation"], name="recruitment_override_unique")
        ]
        verbose_name = "从严调整"
        verbose_name_plural = "从严调整"

    def __str__(self):
        return f"{self.rule} @ {self.organisation}"


class AuthorityAction(models.TextChoices):
    """What only an organisation with the authority may sign (docs/rules.md §1, "Authority")."""

    PRE_REVIEW = "pre_review", "预审（第13步）"
    APPROVAL = "approval", "审批接收预备党员（第17步）"
    CONFIRMATION_APPROVAL = "confirmation_approval", "审批预备党员转正（第24步）"
    EXTENSION = "extension", "审批延长预备期"
    FORM_NUMBERS = "form_numbers", "发放入党志愿书编号"


class AuthorityRule(models.Model):
    """Who may sign `action`: one row per organisation kind (and, for a committee under another,
    the category of the organisation and of its parent), allowed or not, with its source.

    `may_sign` (recruitment/services/signoffs.py) reads the rows of the rule set in force: a row whose
    `parent_category` is set matches only an organisation of that category whose parent committee has
    that category too (a village committee under a township committee, a community committee under a
    street working committee); such rows are checked before the plain kind rows.  No matching row:
    not allowed."""

    rule_set = models.CharField("规则集", max_length=20)
    action = models.CharField("事项", max_length=30, choices=AuthorityAction.choices)
    org_kind = models.CharField("组织类型", max_length=30)
    org_category = models.CharField("组织类别", max_length=30, blank=True, help_text="空表示任何类别")
    parent_category = models.CharField(
        "上级党委类别", max_length=30, blank=True, help_text="非空：仅当上级为同类别党委（党工委）时适用"
    )
    allowed = models.BooleanField("可以办理")
    rule_code = models.CharField("规则代码", max_length=60, help_text="拒绝时引用的规则（Rule.code）")
    reason = models.CharField("不能办理的原因", max_length=200, blank=True)
    source = models.TextField("依据条文")

    class Meta:
        ordering = ["rule_set", "action", "-parent_category", "org_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "action", "org_kind", "org_category", "parent_category"],
                name="recruitment_authority_unique",
            )
        ]
        verbose_name = "审批权限规则"
        verbose_name_plural = "审批权限规则"

    def __str__(self):
        return f"{self.rule_set}:{self.action}:{self.org_kind}"
