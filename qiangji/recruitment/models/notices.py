"""Public notices with objections, and branch general meetings with per-candidate ballots."""

from django.conf import settings
from django.db import models

from qiangji.core.scoping import ScopedQuerySet
from qiangji.recruitment.choices import MeetingPurpose, NoticePurpose


class PublicNotice(models.Model):
    """公示: period in working days from `starts_on`; `ends_on` is the last day of the window
    (computed from the holiday calendar; `provisional` when the year is not covered)."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="notices")
    org_path = models.CharField(max_length=255, db_index=True)
    purpose = models.CharField("公示事项", max_length=20, choices=NoticePurpose.choices)
    place = models.CharField("公示地点", max_length=200)
    text = models.TextField("公示内容")
    starts_on = models.DateField("开始日期")
    working_days = models.PositiveSmallIntegerField("公示期（工作日）")
    ends_on = models.DateField("结束日期")
    provisional = models.BooleanField("结束日期为暂定", default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "starts_on", "id"]
        verbose_name = "公示"
        verbose_name_plural = "公示"

    def __str__(self):
        return f"{self.get_purpose_display()}（{self.starts_on}至{self.ends_on}）"


class Objection(models.Model):
    """An objection received during a notice window; the next step waits until it is resolved, and stays
    blocked if it was upheld (属实) — only a recorded exception of the approving committee lets it go on."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    org_path = models.CharField(max_length=255, db_index=True)
    received_on = models.DateField("收到日期")
    summary = models.TextField("反映内容")
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    resolution = models.TextField("处理结果", blank=True)
    upheld = models.BooleanField("反映问题是否属实", default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["notice", "received_on", "id"]
        verbose_name = "公示期间反映的问题"
        verbose_name_plural = "公示期间反映的问题"

    def __str__(self):
        return f"{self.received_on} {'已处理' if self.resolved_on else '待处理'}"


class BranchMeeting(models.Model):
    """支部大会 (steps 15 and 23): who was entitled (full members only), who attended, prior
    written opinions of absent members; ballots per candidate in `MeetingVote`."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="党支部"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    purpose = models.CharField("议题", max_length=20, choices=MeetingPurpose.choices)
    held_on = models.DateField("召开日期")
    entitled = models.PositiveIntegerField("有表决权的正式党员数")
    present = models.PositiveIntegerField("到会有表决权的正式党员数")
    probationary_present = models.PositiveIntegerField("列席预备党员数", default=0)
    written_opinions = models.PositiveIntegerField("因故缺席提交书面意见数", default=0)
    chair = models.CharField("主持人", max_length=50, blank=True)
    minutes = models.TextField("会议记录", blank=True)
    attendee_ids = models.JSONField("到会党员", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = "支部大会"
        verbose_name_plural = "支部大会"

    def __str__(self):
        return f"{self.held_on} {self.get_purpose_display()}"


class MeetingVote(models.Model):
    """Secret-ballot result for one candidate; `votes_for` includes written opinions in favour."""

    meeting = models.ForeignKey(BranchMeeting, on_delete=models.CASCADE, related_name="votes")
    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="votes")
    org_path = models.CharField(max_length=255, db_index=True)
    votes_for = models.PositiveIntegerField("赞成（含书面意见）")
    votes_against = models.PositiveIntegerField("反对", default=0)
    abstentions = models.PositiveIntegerField("弃权", default=0)
    written_for = models.PositiveIntegerField("其中书面赞成", default=0)
    passed = models.BooleanField("通过")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="recruitment_vote_once")]
        verbose_name = "表决结果"
        verbose_name_plural = "表决结果"

    def __str__(self):
        return f"{self.case}: {self.votes_for}/{self.votes_against}/{self.abstentions}"
