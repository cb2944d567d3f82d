"""Democratic appraisal (民主评议党员, docs/rules.md §2): self → mutual → vote → the committee's grading."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core.scoping import ScopedQuerySet
from qiangji.life.choices import AppraisalKind, AppraisalStage, Grade


class AppraisalRound(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="党支部"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    stage = models.CharField(
        "阶段", max_length=10, choices=AppraisalStage.choices, default=AppraisalStage.SELF
    )
    meeting = models.ForeignKey(
        "life.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="组织生活会",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="life_appraisal_round_unique")
        ]
        ordering = ["-year", "org_path"]
        verbose_name = "民主评议"
        verbose_name_plural = "民主评议"

    def __str__(self):
        return f"{self.year}年度民主评议党员"


class AppraisalVoteQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        # A member sees what they wrote themselves, never how others rated them.
        return Q(voter_id__in=scope.member_ids) if action == "view" and scope.member_ids else None


class AppraisalVote(models.Model):
    """A self-appraisal (voter = subject), a mutual-appraisal comment, or a vote with a grade."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="votes")
    org_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField("类别", max_length=10, choices=AppraisalKind.choices)
    voter = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="评议人"
    )
    subject = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="被评议人"
    )
    grade = models.CharField("等次", max_length=12, choices=Grade.choices, blank=True)
    comment = models.TextField("评议意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppraisalVoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "voter", "subject"], name="life_appraisal_vote_unique"
            )
        ]
        ordering = ["round", "subject", "kind", "id"]
        verbose_name = "评议意见/测评票"
        verbose_name_plural = "评议意见/测评票"

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject_id}"


class AppraisalGradeQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        return Q(member_id__in=scope.member_ids) if action == "view" and scope.member_ids else None


class AppraisalGrade(models.Model):
    """The committee's grading of one member, with the vote counts it saw; part of the member's record."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="grades")
    org_path = models.CharField(max_length=255, db_index=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="appraisal_grades", verbose_name="党员"
    )
    grade = models.CharField("评定等次", max_length=12, choices=Grade.choices)
    excellent_votes = models.PositiveIntegerField("优秀票", default=0)
    qualified_votes = models.PositiveIntegerField("合格票", default=0)
    basic_votes = models.PositiveIntegerField("基本合格票", default=0)
    unqualified_votes = models.PositiveIntegerField("不合格票", default=0)
    note = models.CharField("说明", max_length=500, blank=True)
    decided_on = models.DateField("评定日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AppraisalGradeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="life_appraisal_grade_unique")
        ]
        ordering = ["round", "member"]
        verbose_name = "评定等次"
        verbose_name_plural = "评定等次"

    def __str__(self):
        return f"{self.member_id} {self.get_grade_display()}"
