"""Code tables of party-member education (docs/rules.md §3)."""

from django.db import models


class Mark(models.TextChoices):
    NATIONAL = "N", "全国规定（N）"
    REPORTED = "R", "二手来源（R，可调整）"
    LOCAL = "L", "地方做法（L，可配置）"


class RuleCode(models.TextChoices):
    """Stable codes of the seeded hour rules (the values are data: `HourRule`, migration 0002)."""

    MEMBER_ANNUAL = "member_annual", "党员每年集中学习培训学时"
    LEADER_ANNUAL = "leader_annual", "支部书记和委员每年学习培训学时"
    LEADER_CONCENTRATED = "leader_concentrated", "支部书记和委员每年集中培训次数"
    NEW_SECRETARY_INDUCTION = "new_secretary_induction", "新任基层党组织书记任职培训期限（月）"
    PROBATIONARY_CONCENTRATED = "probationary_concentrated", "预备党员和新党员集中培训期限（转正后月数）"
    DAY_HOURS = "day_hours", "1天折算学时"


class Source(models.TextChoices):
    """Where a member's hours come from (the ledger's columns)."""

    CLASS = "class", "党校班次"
    BRANCH_STUDY = "branch_study", "支部学习/主题党日首学"
    ONLINE = "online", "网络课程"
    BROADCAST = "broadcast", "直播课堂"
    OUTSIDE = "outside", "外出/其他培训"
    LECTURING = "lecturing", "授课（师资）"


class Channel(models.TextChoices):
    OFFLINE = "offline", "线下"
    ONLINE = "online", "线上"


class Provider(models.TextChoices):
    """Who organised the training (kept apart in the ledger, docs/rules.md §3)."""

    UPPER = "upper", "上级调训"
    SCHOOL_TOPIC = "school_topic", "党校专题"
    SCHOOL_DAILY = "school_daily", "党校日常"
    OWN = "own", "本级党委"


class ChapterKind(models.TextChoices):
    VIDEO = "video", "视频"
    AUDIO = "audio", "音频"
    PDF = "pdf", "PDF文档"
    TEXT = "text", "图文"


class SessionStatus(models.TextChoices):
    ACTIVE = "active", "学习中"
    SUPERSEDED = "superseded", "已被另一设备接替"
    CLOSED = "closed", "已结束"


class SiteKind(models.TextChoices):
    PARTY_SCHOOL = "party_school", "党校"
    BASE = "base", "教育培训基地"
    STATION = "station", "教学点/站点"


class ClassStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    COMPLETED = "completed", "已结业"


class FundingSource(models.TextChoices):
    DUES = "dues", "党费"
    BUDGET = "budget", "财政"
    UNIT = "unit", "单位自筹"
    OTHER = "other", "其他"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"
    SHORT = "short", "填空题"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    DONE = "done", "已授课"
