"""Code tables of the mobility app (docs/rules.md §5)."""

from django.db import models

from qiangji.orgs.choices import OrgKind

# Only a primary committee may receive a transfer inside the platform (docs/rules.md §5;
# 《中国共产党支部工作条例（试行）》第七条).
RECEIVING_KINDS = frozenset({OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.INDUSTRY_COMMITTEE})


class TransferKind(models.TextChoices):
    INTERNAL = "internal", "平台内转接"
    OUTGOING = "outgoing", "转出至平台外（纸质介绍信）"
    INCOMING = "incoming", "从平台外转入（纸质介绍信）"


class TransferStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", "在途"
    ACCEPTED = "accepted", "已接收"
    RETURNED = "returned", "已退回"
    RECEIPT_RETURNED = "receipt_returned", "回执已返回"


class FlowStatus(models.TextChoices):
    OUTFLOW = "outflow", "已登记外出，待流入地接收"
    PENDING = "pending", "待流入地确认"
    ACTIVE = "active", "流入地已接收"
    RETURNED = "returned", "已返回（流动结束）"


OPEN_FLOW_STATUSES = (FlowStatus.OUTFLOW, FlowStatus.PENDING, FlowStatus.ACTIVE)


class FlowReason(models.TextChoices):
    WORK = "work", "外出务工经商"
    NEW_EMPLOYMENT = "new_employment", "新就业形态（骑手、司机、快递员等）"
    STUDY = "study", "外出学习"
    FAMILY = "family", "投亲靠友"
    OTHER = "other", "其他"


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REVOKED = "revoked", "已注销"


class RevocationReason(models.TextChoices):
    LOST = "lost", "遗失"
    RETURNED = "returned", "返回原地"
    TRANSFERRED = "transferred", "已转接组织关系"
    OTHER = "other", "其他"


class AnchorKind(models.TextChoices):
    PLATFORM = "platform", "平台企业/站点/车队"
    TERRITORY = "territory", "属地街道/社区"


class HoursStatus(models.TextChoices):
    PENDING = "pending", "待社区确认"
    CONFIRMED = "confirmed", "社区已确认"
    REJECTED = "rejected", "社区未确认"
