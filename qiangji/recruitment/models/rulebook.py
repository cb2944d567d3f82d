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
    kind = models.CharField("性质", max_length=10, choices=RuleKind.choices, blank=True,
                            help_text="空表示沿用规则本身的性质；只能由提醒改为关卡")
    reason = models.CharField("理由", max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "rule"]
        constraints = [models.UniqueConstraint(fields=["rule", "organisation"], name="recruitment_override_unique")]
        verbose_name = "从严调整"
        verbose_name_plural = "从严调整"

    def __str__(self):
        return f"{self.rule} @ {self.organisation}"
