"""Rollups the compliance queries read, kept by the services in the same transaction as the write.

A province has ~150,000 organisations and millions of meetings a year; compliance reads one row
per (branch, year, meeting type) and one row per member instead (docs/architecture.md, "Organisational life").
"""

from django.db import models
from django.db.models import Q

from qiangji.core.scoping import ScopedQuerySet
from qiangji.life.models.meetings import with_inflow


class BranchLifeYear(models.Model):
    """What one branch held of one meeting type in one year.

    `held_months` is a bit mask: bit m-1 is set when at least one meeting of the type was held in
    month m.  Attendance and checklist sums cover the same meetings.
    """

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    meeting_type = models.ForeignKey("life.MeetingType", on_delete=models.CASCADE, related_name="+")
    held_months = models.PositiveIntegerField(default=0)
    held_count = models.PositiveIntegerField(default=0)
    held_month_count = models.PositiveSmallIntegerField(default=0)  # bits set in held_months
    held_quarter_count = models.PositiveSmallIntegerField(default=0)  # quarters with a bit set
    due_sum = models.PositiveIntegerField(default=0)
    present_sum = models.PositiveIntegerField(default=0)
    checklist_required = models.PositiveIntegerField(default=0)
    checklist_done = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "meeting_type"], name="life_rollup_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["year", "org_path"],
                name="life_rollup_year_path_idx",
                opclasses=["int2_ops", "varchar_pattern_ops"],
            )
        ]
        verbose_name = "组织生活年度汇总"
        verbose_name_plural = "组织生活年度汇总"

    def __str__(self):
        return f"{self.organisation_id} {self.year} {self.meeting_type_id}"


class MemberLifeQuerySet(ScopedQuerySet):
    def self_scope(self, user, scope, action):
        # The member's own row; an inflow branch reads its mobile members' rows.
        own = Q(member_id__in=scope.member_ids) if action == "view" and scope.member_ids else None
        return with_inflow(own, scope, action)


class MemberLife(models.Model):
    """A member's last organisational life, for the lapse list (docs/rules.md §5: 6 consecutive months)."""

    member = models.OneToOneField(
        "members.Member", primary_key=True, on_delete=models.CASCADE, related_name="life"
    )
    org_path = models.CharField(max_length=255)
    last_attended_on = models.DateField("最近一次参加组织生活")

    objects = MemberLifeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["org_path", "last_attended_on"],
                name="life_member_last_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            )
        ]
        verbose_name = "党员组织生活情况"
        verbose_name_plural = "党员组织生活情况"

    def __str__(self):
        return f"{self.member_id} {self.last_attended_on}"
