"""Code tables of the governance app (no national code exists for any of them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepRole(models.TextChoices):
    """Who takes a step of a micro-power template: the village itself, the township above it, the county."""

    VILLAGE = "village", _("村（社区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县级部门")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    COMPLETED = "completed", _("已办结")
    REFUSED = "refused", _("未通过")


class Outcome(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


class ContactRole(models.TextChoices):
    DISCIPLINE = "discipline", _("村纪检委员")
    SUPERVISION = "supervision", _("村务监督委员会")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    CLOSED = "closed", _("已办结")


class DecisionStage(models.TextChoices):
    """四议两公开 in order (the stage a decision has reached)."""

    PROPOSED = "proposed", _("村党组织提议")
    DISCUSSED = "discussed", _("村“两委”会议商议")
    DELIBERATED = "deliberated", _("党员大会审议")
    RESOLVED = "resolved", _("村民代表会议决议")
    PUBLISHED = "published", _("决议公开")
    EXECUTED = "executed", _("组织实施")
    OUTCOME_PUBLISHED = "outcome_published", _("实施结果公开")


STAGE_ORDER = [stage.value for stage in DecisionStage]


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    REJECTED = "rejected", _("未通过")
    DONE = "done", _("已完成")


class PreReview(models.TextChoices):
    PENDING = "pending", _("待乡镇党委前置审核")
    APPROVED = "approved", _("审核同意")
    RETURNED = "returned", _("退回")


class VoteKind(models.TextChoices):
    PARTY_MEMBERS = "party_members", _("党员大会")
    REPRESENTATIVES = "representatives", _("村民代表会议")


class Choice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class PointKind(models.TextChoices):
    VILLAGE = "village", _("村（社区）")
    BRANCH = "branch", _("党组织")
    ENTERPRISE = "enterprise", _("企业（园区）")
    PLATFORM = "platform", _("平台（站点）")


class VisitKind(models.TextChoices):
    VISIT = "visit", _("走访")
    SQUAT = "squat", _("蹲点调研")
    RANDOM = "random", _("四不两直随机调研")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已销号")
