"""Code tables of organisational life (docs/rules.md §2)."""

from django.db import models


class Mark(models.TextChoices):
    """How sure a rule is (docs/rules.md, the marks): N national text, R secondary sources, L local practice."""

    NATIONAL = "N", "全国规定（N）"
    REPORTED = "R", "二手来源（R，可调整）"
    LOCAL = "L", "地方做法（L，可配置）"


class Quorum(models.TextChoices):
    NONE = "none", "无法定人数要求"
    COMMITTEE_MAJORITY = "committee_majority", "到会委员超过委员半数"
    MEMBERS_MAJORITY = "members_majority", "到会党员超过应到党员半数"


class MeetingTypeCode(models.TextChoices):
    """Stable codes of the seeded meeting types (the rows themselves are data, see migration 0002)."""

    GENERAL = "branch_general", "支部党员大会"
    COMMITTEE = "branch_committee", "支部委员会会议"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    SECRETARY_LECTURE = "secretary_lecture", "书记讲党课"
    THEME_DAY = "theme_day", "主题党日"
    REVIEW = "review", "组织生活会"
    HEART_TALK = "heart_talk", "谈心谈话"
    APPRAISAL = "appraisal", "民主评议党员"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    HELD = "held", "已召开"
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "已退回"


# A meeting counts as held (for compliance, the rollups and a member's last organisational life) from the
# moment it is recorded as held, whatever its review state.
HELD_STATES = (MeetingStatus.HELD, MeetingStatus.SUBMITTED, MeetingStatus.APPROVED, MeetingStatus.RETURNED)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    ABSENT = "absent", "缺席"


class CheckInMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    MANUAL = "manual", "手工登记"


class ChecklistKind(models.TextChoices):
    REQUIRED = "required", "规定动作"
    OPTIONAL = "optional", "自选动作"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "照片"
    FILE = "file", "文件"


class PeriodKind(models.TextChoices):
    MONTH = "month", "月"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年"


PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


class AppraisalStage(models.TextChoices):
    SELF = "self", "个人自评"
    MUTUAL = "mutual", "党员互评"
    VOTING = "voting", "民主测评"
    GRADING = "grading", "组织评定"
    CLOSED = "closed", "已结束"


class AppraisalKind(models.TextChoices):
    SELF = "self", "自评"
    MUTUAL = "mutual", "互评"
    VOTE = "vote", "测评票"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"
