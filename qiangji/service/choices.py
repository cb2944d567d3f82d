"""Code tables of the request desk (接诉即办)."""

from django.db import models


class LimitUnit(models.TextChoices):
    HOURS = "hours", "小时"
    WORKING_DAYS = "working_days", "个工作日"
    DAYS = "days", "天（自然日）"


class Tier(models.TextChoices):
    """The ladder: 小区解决一批、社区协调一批、街道统筹一批、部门认领一批; no unit takes it → the district."""

    COMPOUND = "compound", "小区/网格"
    INDUSTRY = "industry", "行业党委"
    COMMUNITY = "community", "社区"
    STREET = "street", "街道"
    DISTRICT = "district", "区县"
    DEPARTMENT = "department", "部门"


# The next tier when a tier's limit lapses or it blows the whistle (吹哨): one step up the organisation tree.
NEXT_TIER: dict[str, str] = {
    Tier.COMPOUND: Tier.COMMUNITY,
    Tier.COMMUNITY: Tier.STREET,
    Tier.STREET: Tier.DISTRICT,
    Tier.INDUSTRY: Tier.DISTRICT,
}


class Status(models.TextChoices):
    """Open311 GeoReport v2 status."""

    OPEN = "open", "处理中"
    CLOSED = "closed", "已关闭"


class Phase(models.TextChoices):
    """Sub-status (the Open311 request-update extension's `extended_attributes`), in plain Chinese."""

    PENDING = "pending", "待认领"
    IN_PROGRESS = "in_progress", "办理中"
    WAITING = "waiting", "等待诉求人补充（计时暂停）"
    ANSWERED = "answered", "已答复，待诉求人评价"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "已合并到其他诉求"


OPEN_PHASES = (Phase.PENDING, Phase.IN_PROGRESS, Phase.WAITING, Phase.ANSWERED)


class Channel(models.TextChoices):
    WEB = "web", "网上提交"
    ONETAP = "onetap", "一键求助"
    BEHALF = "behalf", "党员/书记代为登记"
    OPEN311 = "open311", "接口（Open311）"


class Audience(models.TextChoices):
    RESIDENT = "resident", "居民"
    RIDER = "rider", "快递外卖小哥"
    DRIVER = "driver", "货车/网约车司机"


class Outcome(models.TextChoices):
    SOLVED = "solved", "已解决"
    PARTLY = "partly", "部分解决"
    UNSOLVED = "unsolved", "未解决"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    UNRATED = "unrated", "未评价"


class EventKind(models.TextChoices):
    RECEIVED = "received", "受理"
    ROUTED = "routed", "派至承办单位"
    ESCALATED = "escalated", "超时未办，自动上报上一级"
    WHISTLE = "whistle", "本级无法解决，吹哨上报"
    SENT_BACK = "sent_back", "派单错误，退回"
    DISPATCHED = "dispatched", "重新派单"
    CLAIMED = "claimed", "认领"
    PROGRESS = "progress", "办理进展"
    WAITING = "waiting", "等待诉求人补充（计时暂停）"
    RESUMED = "resumed", "诉求人已补充（恢复计时）"
    ANSWERED = "answered", "答复诉求人"
    CONFIRMED = "confirmed", "诉求人评价"
    REOPENED = "reopened", "诉求人不满意，重新办理"
    UNRATED = "unrated", "逾期未评价，按未评价办结"
    MERGED = "merged", "合并重复诉求"
    CLOSED_BY_STAFF = "closed_by_staff", "工作人员办结"


class WorkKind(models.TextChoices):
    CLAIM = "claim", "认领"
    PROGRESS = "progress", "办理进展"
    ANSWER = "answer", "答复"


class PlaceKind(models.TextChoices):
    COMPOUND = "compound", "小区"
    GRID = "grid", "网格"


class StationKind(models.TextChoices):
    STATION = "station", "服务驿站"
    DRIVER_HOME = "driver_home", "司机之家"
    CANTEEN = "canteen", "小哥食堂"


class RatingTarget(models.TextChoices):
    PROPERTY = "property", "物业服务企业"
    COMMITTEE = "committee", "业主委员会"


class Occasion(models.TextChoices):
    INSTANT = "instant", "即时评"
    ONSITE = "onsite", "现场评"
